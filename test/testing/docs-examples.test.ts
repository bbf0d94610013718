/**
 * The complete examples of docs/testing.md run as tests in test/testing/examples/:
 * each ```ts block of the guide whose first line names a test file (`// name.test.ts`)
 * must be that file, but for its imports (`rx-mqtt` and `rx-mqtt/testing` there, the
 * source here). Edit the test, run it, then copy it into the guide.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const EXAMPLES = join(__dirname, 'examples');

/** The guide's ```ts blocks that name a test file, by that name. */
function guideExamples(): Map<string, string> {
  const guide = readFileSync(join(ROOT, 'docs/testing.md'), 'utf8');
  const examples = new Map<string, string>();
  for (const [, code = ''] of guide.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const name = /^\/\/ ([\w-]+\.test\.ts)\n/.exec(code)?.[1];
    if (name !== undefined) examples.set(name, code);
  }
  return examples;
}

/** A test file with the package's specifiers in place of the source paths. */
function asInGuide(test: string): string {
  return test
    .replaceAll("from '../../../src/testing/index.js'", "from 'rx-mqtt/testing'")
    .replaceAll("from '../../../src/index.js'", "from 'rx-mqtt'");
}

describe('docs/testing.md examples', () => {
  const tests = readdirSync(EXAMPLES).filter((name) => name.endsWith('.test.ts'));
  const examples = guideExamples();

  it('the guide shows every example test, and only those', () => {
    expect([...examples.keys()].sort()).toEqual(tests.sort());
  });

  it.each(tests)('%s is the same code as its block in the guide', (name) => {
    expect(examples.get(name)).toBe(asInGuide(readFileSync(join(EXAMPLES, name), 'utf8')));
  });
});

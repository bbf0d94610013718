/**
 * `npm run fuzz:decode [-- SECONDS]`: coverage-guided fuzzing of the codec with jsfuzz,
 * for a bounded time (60 s unless told).
 *
 * 1. writes the seed corpus (test/fuzz/seed-corpus.ts) to `.tmp/fuzz/seed/`;
 * 2. bundles test/fuzz/decode-target.ts with esbuild to `.tmp/fuzz/decode-target.cjs`
 *    (jsfuzz instruments what it loads with istanbul, so the bundle's statements and
 *    branches are the coverage it follows);
 * 3. runs jsfuzz with `.tmp/fuzz/corpus/` (kept between runs: each run starts from the
 *    inputs the runs before found) and the seeds, stops it with SIGINT when the time is
 *    up, and prints executions, coverage and corpus size.
 *
 * A finding stops jsfuzz at once: the input is written to `.tmp/fuzz/crash-<sha256>`
 * and the exit status is 1. Replay it in test/fuzz/regressions.test.ts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { seedCorpus } from './seed-corpus.js';

const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 60);
const root = process.cwd(); // npm runs scripts from the package root
const work = join(root, '.tmp/fuzz');
const seedDir = join(work, 'seed');
const corpusDir = join(work, 'corpus');

mkdirSync(seedDir, { recursive: true });
mkdirSync(corpusDir, { recursive: true });
const seeds = seedCorpus();
for (const input of seeds) writeFileSync(join(seedDir, createHash('sha256').update(input).digest('hex')), input);
const carried = readdirSync(corpusDir).length;
rmSync(join(work, '.nyc_output'), { recursive: true, force: true });

async function main(): Promise<void> {
  await build({
    entryPoints: [join(root, 'test/fuzz/decode-target.ts')],
    outfile: join(work, 'decode-target.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'warning',
  });

  const jsfuzz = createRequire(join(root, 'package.json')).resolve('jsfuzz/build/src/index.js');
  // The first directory receives the new inputs; the worker resolves the target against cwd.
  const child = spawn(process.execPath, [jsfuzz, 'decode-target.cjs', 'corpus', 'seed', '--versifier=false'], {
    cwd: work,
    detached: true, // its own process group: the worker it forks gets the SIGINT too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // istanbul's babel, loaded lazily, trips over jsfuzz's hook that instruments every file: noise.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => process.stderr.write(withoutNoise(text)));
  let last = '';
  let crashed = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    process.stdout.write(withoutNoise(text));
    for (const line of text.split('\n')) {
      if (line.startsWith('#')) last = line;
      if (line.startsWith('crash was written')) crashed = true;
    }
  });
  console.log(`fuzz:decode for ${seconds} s: ${seeds.length} seeds, ${carried} inputs carried over in .tmp/fuzz/corpus`);
  const stop = setTimeout(() => process.kill(-(child.pid as number), 'SIGINT'), seconds * 1000);
  child.on('exit', (code) => {
    clearTimeout(stop);
    const stats = /^#(\d+) \w+\s+cov: (\d+) corp: (\d+)/.exec(last);
    if (stats !== null) {
      console.log(`fuzz:decode done: ${stats[1]} executions, coverage ${stats[2]} statements+branches+functions, corpus ${stats[3]}`);
    }
    const reached = coverageSummary(join(work, '.nyc_output/cov.json'));
    if (reached !== undefined) console.log(`fuzz:decode coverage of the bundle (target + src/packets): ${reached}`);
    process.exitCode = crashed || (code !== 0 && code !== null) ? 1 : 0;
  });
}

/** Istanbul's counters of one file: hits per statement, per function, per branch arm. */
interface FileCoverage {
  s: Record<string, number>;
  f: Record<string, number>;
  b: Record<string, number[]>;
}

/** Covered / total statements, branch arms and functions in the coverage the worker dumps on SIGINT. */
function coverageSummary(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const files = Object.values(JSON.parse(readFileSync(path, 'utf8')) as Record<string, FileCoverage>);
  const ratio = (counts: number[]): string => `${counts.filter((n) => n > 0).length}/${counts.length}`;
  const statements = files.flatMap((file) => Object.values(file.s));
  const branches = files.flatMap((file) => Object.values(file.b).flat());
  const functions = files.flatMap((file) => Object.values(file.f));
  return `statements ${ratio(statements)}, branches ${ratio(branches)}, functions ${ratio(functions)}`;
}

/** Drops jsfuzz's complaints about instrumenting istanbul's own dependencies. */
function withoutNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^Transformation error for .*node_modules|^Cannot access '\w+' before initialization|non-existent property 'default'|--trace-warnings|_helperCompilationTargets/.test(line))
    .join('\n');
}

void main();

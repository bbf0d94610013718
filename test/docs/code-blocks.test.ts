/**
 * Keeps the guides honest: every ```ts / ```typescript block of README.md and
 * docs/**\/*.md (docs/api/ excepted) must type-check against the real source.
 *
 * Each block becomes a module in .tmp/doc-blocks/ (inside the repo, so node_modules
 * resolves), `rx-mqtt`, `rx-mqtt/testing` and `rx-mqtt/angular` map to the src entry
 * files through a generated tsconfig's `paths`, and all blocks are checked in ONE
 * TypeScript program. A block that is not meant to compile uses another fence tag
 * (```sh, ```text) or has `<!-- not-compiled -->` on the line before its fence
 * (docs/index.md says so). To see the errors in an editor, or to re-check by hand:
 * `npx tsc -p .tmp/doc-blocks` after a run.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, '.tmp', 'doc-blocks');
const NOT_COMPILED = '<!-- not-compiled -->';
const COMPILED_TAGS = new Set(['ts', 'typescript']);

/** One fenced code block to check. */
interface DocBlock {
  /** The Markdown file, relative to the repo root. */
  doc: string;
  /** 1-based, counting only the compiled blocks of that file. */
  index: number;
  /** 1-based line of the first code line in the Markdown file. */
  line: number;
  code: string;
  file: string;
}

/** README.md and every .md under docs/, except the generated docs/api/. */
function markdownFiles(): string[] {
  const found = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== 'docs/api') walk(path);
      } else if (entry.name.endsWith('.md')) {
        found.push(path);
      }
    }
  };
  walk('docs');
  return found.sort();
}

/** The compiled blocks of one Markdown file (fences may be indented, as in list items). */
function extractBlocks(doc: string, text: string): Omit<DocBlock, 'file'>[] {
  const lines = text.split(/\r?\n/);
  const blocks: Omit<DocBlock, 'file'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```', tag = ''] = open;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    const skipped = (lines[i - 1] ?? '').trim() === NOT_COMPILED;
    if (COMPILED_TAGS.has(tag.toLowerCase()) && !skipped) {
      const body = lines.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      blocks.push({ doc, index: blocks.length + 1, line: start + 1, code: body.join('\n') });
    }
    i = end;
  }
  return blocks;
}

/** Writes the blocks and a tsconfig over them; returns the blocks with their file names. */
function writeBlocks(): DocBlock[] {
  mkdirSync(OUT, { recursive: true });
  const blocks: DocBlock[] = [];
  for (const doc of markdownFiles()) {
    const slug = doc.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
    for (const block of extractBlocks(doc, readFileSync(join(ROOT, doc), 'utf8'))) {
      const file = join(OUT, `${slug}-${block.index}.ts`);
      // `export {}` makes every block a module, so two blocks' preludes never collide.
      writeFileSync(file, `${block.code}\nexport {};\n`);
      blocks.push({ ...block, file });
    }
  }
  // Remove blocks that no longer exist; never the whole folder, so two runs at once
  // (each writing the same files) do not pull files from under each other.
  const current = new Set(blocks.map((b) => b.file));
  for (const name of readdirSync(OUT)) {
    if (name.endsWith('.ts') && !current.has(join(OUT, name))) rmSync(join(OUT, name), { force: true });
  }
  const base = readConfig(join(ROOT, 'tsconfig.json'));
  const tsconfig = {
    compilerOptions: {
      ...base,
      // Examples name things to show them; an unused one is no error in a guide.
      noUnusedLocals: false,
      noUnusedParameters: false,
      noEmit: true,
      paths: {
        'rx-mqtt': [join(ROOT, 'src/index.ts')],
        'rx-mqtt/testing': [join(ROOT, 'src/testing/index.ts')],
        'rx-mqtt/angular': [join(ROOT, 'src/angular/index.ts')],
      },
    },
    files: blocks.map((b) => relative(OUT, b.file)),
  };
  writeFileSync(join(OUT, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return blocks;
}

/** The raw `compilerOptions` of a tsconfig file. */
function readConfig(path: string): Record<string, unknown> {
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return (config as { compilerOptions: Record<string, unknown> }).compilerOptions;
}

function describeDiagnostic(d: ts.Diagnostic, byFile: Map<string, DocBlock>): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (d.file === undefined || d.start === undefined) return `TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const block = byFile.get(resolve(d.file.fileName));
  if (block === undefined) return `${relative(ROOT, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code}: ${message}`;
  return (
    `${block.doc}:${block.line + line} (block ${block.index}, line ${line + 1}:${character + 1}) ` +
    `TS${d.code}: ${message}`
  );
}

describe('code blocks in README.md and docs/', () => {
  it('type-check against the source, in one program', () => {
    const blocks = writeBlocks();
    expect(blocks.length).toBeGreaterThan(0);
    const configPath = join(OUT, 'tsconfig.json');
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, OUT, undefined, configPath);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const byFile = new Map(blocks.map((b) => [resolve(b.file), b]));
    const diagnostics = [
      ...parsed.errors,
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...blocks.flatMap((b) => {
        const source = program.getSourceFile(b.file);
        if (source === undefined) throw new Error(`${b.file} is not in the program`);
        return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      }),
    ];
    expect(diagnostics.map((d) => describeDiagnostic(d, byFile))).toEqual([]);
  }, 120_000);
});

// Bundles the browser entry (src/index.browser.ts) as a browser app would, and fails
// (exit 1) when a Node built-in or the `ws` package is reachable from it. esbuild itself
// fails to resolve a Node built-in for platform 'browser'; the metafile scan also
// catches `ws` (whose browser stub would bundle quietly) and any built-in left external.
// Prints the minified and gzipped size of the bundle (rxjs external).
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeOnly = (path) =>
  builtins.has(path) || path.startsWith('node:') || path === 'ws' || /(^|\/)node_modules\/ws\//.test(path);

let result;
try {
  result = await build({
    entryPoints: ['src/index.browser.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    target: 'es2020',
    external: ['rxjs', 'rxjs/*'],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
} catch (error) {
  console.error('browser bundle FAILED (a Node built-in is probably imported from the browser entry):');
  for (const e of error.errors ?? [error]) {
    const where = e.location ? `${e.location.file}:${e.location.line}: ` : '';
    console.error(`  ${where}${e.text ?? e.message}`);
  }
  process.exit(1);
}

const offenders = [
  ...Object.keys(result.metafile.inputs).filter(isNodeOnly),
  ...Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external && isNodeOnly(i.path)).map((i) => `import of ${i.path}`),
  ),
];
if (offenders.length > 0) {
  console.error('browser bundle FAILED: Node-only modules are reachable from src/index.browser.ts:');
  for (const offender of offenders) console.error(`  ${offender}`);
  process.exit(1);
}

const code = result.outputFiles[0].contents;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `browser bundle OK: ${Object.keys(result.metafile.inputs).length} modules, ` +
    `${kib(code.length)} minified, ${kib(gzipSync(code).length)} gzipped (rxjs external)`,
);

// Builds the Angular example for the browser with esbuild (no Angular CLI; JIT):
// `node examples/angular/build.mjs [outdir]` writes main.js and index.html to outdir
// (default examples/angular/dist), then serve that folder with any static server.
// Fails (exit 1) when a Node built-in or `ws` is reachable from the bundle.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] ?? join(here, 'dist'));
const nodeOnly = new Set([...builtinModules.flatMap((name) => [name, `node:${name}`]), 'ws']);

mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: [join(here, 'main.ts')],
  outfile: join(outdir, 'main.js'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  metafile: true,
  tsconfig: join(here, '..', '..', 'tsconfig.json'),
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));

const offenders = Object.keys(result.metafile.inputs).filter(
  (path) => nodeOnly.has(path) || path.startsWith('node:') || /(^|\/)node_modules\/ws\//.test(path),
);
if (offenders.length > 0) {
  console.error(`Angular example FAILED: Node-only modules in the bundle: ${offenders.join(', ')}`);
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined)?.bytes ?? 0;
console.log(`Angular example built: ${join(outdir, 'main.js')} (${(bytes / 1024).toFixed(0)} KiB minified, JIT compiler included)`);

// Builds dist/: ESM and CommonJS JavaScript (esbuild, one file per module, no bundling)
// and type declarations (tsc).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const entryPoints = readdirSync('src', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join('src', f));

rmSync('dist', { recursive: true, force: true });
for (const format of ['esm', 'cjs']) {
  await build({ entryPoints, outdir: `dist/${format}`, format, platform: 'neutral', target: 'es2020', sourcemap: true, logLevel: 'warning' });
  writeFileSync(`dist/${format}/package.json`, JSON.stringify({ type: format === 'esm' ? 'module' : 'commonjs' }) + '\n');
}
// The `rx-mqtt` bin: esbuild keeps main.ts's `#!/usr/bin/env node`; make it executable.
chmodSync('dist/cjs/cli/main.js', 0o755);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

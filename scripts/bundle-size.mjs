// Prints the minified and gzipped size of rx-mqtt's browser bundle beside MQTT.js's,
// each bundled by esbuild the way a browser app would (platform browser, ESM, minified,
// es2020), plus MQTT.js's prebuilt dist/mqtt.min.js as shipped. Run: node scripts/bundle-size.mjs
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `contents` (an ESM entry, resolved from the repo root) and returns the bytes. */
async function bundle(contents, external = []) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    target: 'es2020',
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [];
const measure = (name, bytes) => rows.push([name, kib(bytes.length), kib(gzipSync(bytes).length)]);

const rxjs = ['rxjs', 'rxjs/*'];
measure('rx-mqtt, whole browser entry (rxjs external)', await bundle(`export * from './src/index.browser.ts';`, rxjs));
measure('rx-mqtt, connect() only (rxjs external)', await bundle(`export { connect } from './src/index.browser.ts';`, rxjs));
measure('rx-mqtt, connect() only, with the rxjs it uses', await bundle(`export { connect } from './src/index.browser.ts';`));
measure('MQTT.js, connect() bundled by esbuild (resolves dist/mqtt.esm.js)', await bundle(`export { connect } from 'mqtt';`));
measure('MQTT.js, prebuilt dist/mqtt.min.js as shipped', readFileSync(join(dirname(require.resolve('mqtt/package.json')), 'dist', 'mqtt.min.js')));

const mqttVersion = JSON.parse(readFileSync(require.resolve('mqtt/package.json'), 'utf8')).version;
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`browser bundle sizes (esbuild, minified, es2020; gzip default level, as check-browser-bundle.mjs; MQTT.js ${mqttVersion})`);
console.log(`${'bundle'.padEnd(width)}  ${'minified'.padStart(10)}  ${'gzipped'.padStart(10)}`);
for (const [name, min, gz] of rows) console.log(`${name.padEnd(width)}  ${min.padStart(10)}  ${gz.padStart(10)}`);

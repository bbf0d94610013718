/**
 * @jest-environment node
 */
// examples/angular: builds it with its own script (esbuild, as CI would), then boots the
// bundle in a jsdom window (support/boot-example.mjs) against aedes over WebSocket and
// clicks its button.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startAedes, type AedesBroker } from '../support/aedes.js';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

describe('examples/angular', () => {
  let broker: AedesBroker;
  let outdir: string;
  beforeAll(async () => {
    broker = await startAedes();
    outdir = mkdtempSync(join(tmpdir(), 'rx-mqtt-angular-example-'));
  });
  afterAll(async () => {
    rmSync(outdir, { recursive: true, force: true });
    await broker.stop();
  });

  it('builds for the browser with esbuild, then shows and publishes messages through a real broker', async () => {
    await run(process.execPath, [join(root, 'examples', 'angular', 'build.mjs'), outdir], { cwd: root });
    expect(existsSync(join(outdir, 'index.html'))).toBe(true);
    expect(existsSync(join(outdir, 'main.js'))).toBe(true);

    const boot = join(__dirname, 'support', 'boot-example.mjs');
    const url = `ws://127.0.0.1:${broker.wsPort}/mqtt`;
    const { stdout } = await run(process.execPath, [boot, join(outdir, 'main.js'), url], { cwd: root, timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ before: '(nothing yet)', after: 'hello #1', errors: [] });
  }, 30_000);
});

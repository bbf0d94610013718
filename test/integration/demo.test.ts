import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** `npm start` runs this demo; README promises it works after `npm ci` alone. */
describe('the demo (npm start)', () => {
  it('runs on its embedded broker, sends a QoS 2 command that is acknowledged, and exits 0', async () => {
    const root = join(__dirname, '..', '..');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['scripts/run-ts.mjs', 'examples/demo.ts'], { cwd: root, timeout: 45_000 }, (error, out) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out }),
      );
    });
    expect(stdout).toMatch(/sensors, dashboard and heater connected/);
    expect(stdout).toMatch(/dashboard +\w+ +avg [\d.]+ °C/);
    expect(stdout).toMatch(/heater +bedroom → on \(QoS 2\)/);
    expect(stdout).toMatch(/acknowledged \(PUBCOMP, packet id \d+\)/);
    expect(stdout).toMatch(/broker +closed/);
    expect(code).toBe(0);
  }, 60_000);
});

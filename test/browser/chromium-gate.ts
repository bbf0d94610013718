import { spawnSync } from 'node:child_process';

/** Where Chromium is: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium` (package `chromium`). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether Chromium is installed at {@link chromiumPath}.
 *
 * @returns true when `chromium --version` runs and exits 0.
 */
export function chromiumAvailable(): boolean {
  const result = spawnSync(chromiumPath, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * `describe` for suites that drive a real Chromium: runs them when it is installed;
 * otherwise skips them locally, but on CI (`process.env.CI` set) registers a failing
 * test, since .ci/run installs Chromium and a skipped browser suite would hide a broken
 * setup.
 *
 * @param name the suite name.
 * @param body the suite.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs Chromium at ${chromiumPath}, which CI must install (apt-get install chromium)`, () => {
        throw new Error(`Chromium is not installed at ${chromiumPath}: the browser suite cannot run`);
      });
    });
  } else {
    describe.skip(`${name} (Chromium not installed at ${chromiumPath})`, body);
  }
}

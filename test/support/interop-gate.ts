import { mosquittoAvailable } from './mosquitto.js';

/**
 * `describe` for suites that need Mosquitto: runs them when it is installed; otherwise
 * skips them locally, but on CI (`process.env.CI` set) registers a failing test, since
 * .ci/run installs Mosquitto and a skipped interop suite would hide a broken setup.
 *
 * @param name the suite name.
 * @param body the suite.
 */
export function describeWithMosquitto(name: string, body: () => void): void {
  if (mosquittoAvailable()) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs mosquitto, which CI must install (apt-get install mosquitto mosquitto-clients)', () => {
        throw new Error('mosquitto is not installed: the interop suite cannot run');
      });
    });
  } else {
    describe.skip(`${name} (mosquitto not installed)`, body);
  }
}

import { useBroker, type BrokerSuite } from './broker-suite.js';
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from './mosquitto.js';

/** What {@link useMosquitto} gives a test file: its broker, URL and client pool. */
export type MosquittoSuite = BrokerSuite<MosquittoBroker>;

/**
 * Registers the usual hooks of a Mosquitto test file: start the broker before all tests,
 * end every pooled client after each, stop the broker after all. Hooks the file registers
 * after this call run after these, so a file's own `afterAll` may remove files the
 * broker used.
 *
 * @example
 * ```ts
 * const suite = useMosquitto({ extraConfig: ['max_qos 1'] });
 * it('connects', async () => { const client = suite.pool.connect(suite.url); … });
 * ```
 * @param options for {@link startMosquitto}; or a function returning them, called in
 *   `beforeAll` (for options that need set-up first, e.g. a password file written there).
 * @returns the suite; read its fields inside tests (they are set in `beforeAll`).
 */
export function useMosquitto(options: MosquittoOptions | (() => MosquittoOptions) = {}): MosquittoSuite {
  return useBroker('Mosquitto', () => startMosquitto(typeof options === 'function' ? options() : options));
}

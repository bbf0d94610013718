import { startAedes, type AedesBroker } from './aedes.js';
import { useBroker, type BrokerSuite } from './broker-suite.js';

/** What {@link useAedes} gives a test file: its broker, URL and client pool. */
export type AedesSuite = BrokerSuite<AedesBroker>;

/**
 * Registers the usual hooks of an aedes test file: start the broker before all tests,
 * end every pooled client after each, stop the broker after all.
 *
 * @example
 * ```ts
 * const suite = useAedes();
 * it('connects', async () => { const client = suite.pool.connect(suite.url); … });
 * ```
 * @returns the suite; read its fields inside tests (they are set in `beforeAll`).
 */
export function useAedes(): AedesSuite {
  return useBroker('aedes', startAedes);
}

import { startAedes, type AedesBroker } from './aedes.js';
import { clientPool, type ClientPool } from './client-pool.js';

/** What {@link useAedes} gives a test file: its broker, URL and client pool. */
export interface AedesSuite {
  /** The broker started in `beforeAll`. */
  readonly broker: AedesBroker;
  /** `mqtt://127.0.0.1:<port>` of that broker. */
  readonly url: string;
  /** Clients opened by the tests, all ended after each test. */
  readonly pool: ClientPool;
}

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
  let broker: AedesBroker | undefined;
  const pool = clientPool();
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterEach(() => pool.endAll());
  afterAll(() => broker?.stop());
  return {
    get broker() {
      if (broker === undefined) throw new Error('the aedes broker is not started yet (read it inside a test)');
      return broker;
    },
    get url() {
      return `mqtt://127.0.0.1:${this.broker.port}`;
    },
    pool,
  };
}

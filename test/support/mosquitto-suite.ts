import { clientPool, type ClientPool } from './client-pool.js';
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from './mosquitto.js';

/** What {@link useMosquitto} gives a test file: its broker, URL and client pool. */
export interface MosquittoSuite {
  /** The broker started in `beforeAll`. */
  readonly broker: MosquittoBroker;
  /** `mqtt://127.0.0.1:<port>` of that broker's plain listener. */
  readonly url: string;
  /** Clients opened by the tests, all ended after each test. */
  readonly pool: ClientPool;
}

/**
 * Registers the usual hooks of a Mosquitto test file: start the broker before all tests,
 * end every pooled client after each, stop the broker after all. Hooks the file registers
 * after this call run after these (Jest runs `after*` hooks in declaration order), so a
 * file's own `afterAll` may remove files the broker used.
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
  let broker: MosquittoBroker | undefined;
  const pool = clientPool();
  beforeAll(async () => {
    broker = await startMosquitto(typeof options === 'function' ? options() : options);
  });
  afterEach(() => pool.endAll());
  afterAll(() => broker?.stop());
  return {
    get broker() {
      if (broker === undefined) throw new Error('the Mosquitto broker is not started yet (read it inside a test)');
      return broker;
    },
    get url() {
      return `mqtt://127.0.0.1:${this.broker.port}`;
    },
    pool,
  };
}

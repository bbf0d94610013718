import { clientPool, type ClientPool } from './client-pool.js';

/** What a test broker must offer {@link useBroker}: a plain MQTT port on 127.0.0.1 and a way to stop. */
export interface SuiteBroker {
  /** Plain MQTT listener on 127.0.0.1. */
  readonly port: number;
  /** Stops the broker; idempotent. */
  stop(): Promise<void>;
}

/** What {@link useBroker} gives a test file: its broker, URL and client pool. */
export interface BrokerSuite<B extends SuiteBroker> {
  /** The broker started in `beforeAll`. */
  readonly broker: B;
  /** `mqtt://127.0.0.1:<port>` of that broker's plain listener. */
  readonly url: string;
  /** Clients opened by the tests, all ended after each test. */
  readonly pool: ClientPool;
}

/**
 * Registers the usual hooks of a test file with one broker: start it before all tests,
 * end every pooled client after each, stop the broker after all. Hooks the file registers
 * after this call run after these (Jest runs `after*` hooks in declaration order).
 *
 * @example
 * ```ts
 * const suite = useBroker('aedes', startAedes);
 * it('connects', async () => { const client = suite.pool.connect(suite.url); … });
 * ```
 * @param name the broker's name, for the error thrown when `broker` is read too early.
 * @param start starts the broker; called in `beforeAll`.
 * @returns the suite; read its fields inside tests (they are set in `beforeAll`).
 */
export function useBroker<B extends SuiteBroker>(name: string, start: () => Promise<B>): BrokerSuite<B> {
  let broker: B | undefined;
  const pool = clientPool();
  beforeAll(async () => {
    broker = await start();
  });
  afterEach(() => pool.endAll());
  afterAll(() => broker?.stop());
  return {
    get broker() {
      if (broker === undefined) throw new Error(`the ${name} broker is not started yet (read it inside a test)`);
      return broker;
    },
    get url() {
      return `mqtt://127.0.0.1:${this.broker.port}`;
    },
    pool,
  };
}

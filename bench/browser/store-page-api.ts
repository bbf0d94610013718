/** The session store a run of the store benchmark publishes with. */
export type BenchStore =
  /** `memoryStore()`: the baseline. */
  | 'memory'
  /** `openIndexedDbStore(name)` as is: the client holds each packet until the writes before it are committed. */
  | 'indexeddb'
  /** The same store behind a plain object without `whenWritten`: packets leave at once (no write-ahead). */
  | 'indexeddb-no-write-ahead';

/** One run of bench/browser/store-page.ts. */
export interface StoreRunSpec {
  /** `ws://127.0.0.1:<port>/mqtt`. */
  broker: string;
  store: BenchStore;
  /** The IndexedDB database, fresh for the run (deleted at its end); unused by `memory`. */
  database: string;
  clientId: string;
  topic: string;
  qos: 1 | 2;
  /** Messages published. */
  messages: number;
  /** Payload bytes. */
  size: number;
  /** Publishes outstanding (published, not yet completed) at most. */
  outstanding: number;
}

/** What one run measured, in the page's clock (`performance.now()`, ms). */
export interface StoreRunResult {
  /** First publish() → last completion (PUBACK at QoS 1, PUBCOMP at QoS 2). */
  elapsedMs: number;
  /** Median of publish() → its completion, over every message of the run. */
  latencyMedianMs: number;
}

/** What bench/browser/store-page.ts puts on `window.rxMqttStoreBench`. */
export interface StoreBenchApi {
  /**
   * Connects a client (MQTT 3.1.1, clean session, its default window) with the store,
   * publishes, ends the client, closes and deletes the database.
   *
   * @param spec the run.
   * @returns what it measured; rejects on the first error.
   */
  run(spec: StoreRunSpec): Promise<StoreRunResult>;
}

declare global {
  interface Window {
    rxMqttStoreBench?: StoreBenchApi;
  }
}

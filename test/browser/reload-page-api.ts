import type {
  IndexedDbStore,
  IndexedDbStoreOptions,
  openIndexedDbStore,
  SessionStore,
  StoredSession,
} from '../../src/index.browser.js';

/** A {@link StoredSession} as plain data (what `page.evaluate` can return). */
export interface SessionSummary {
  /** Outbound flows in stored order: packet id, topic, payload as UTF-8, QoS, DUP, PUBREC received. */
  outgoing: { id: number; topic: string; text: string; qos: number; dup: boolean; released: boolean }[];
  /** Inbound QoS 2 packet ids awaiting PUBREL, sorted. */
  incoming: number[];
  /** Queued publishes in queue order: queue number, topic, payload as UTF-8, QoS, and whether it has a packet id. */
  queued: { seq: number; topic: string; text: string; qos: number; hasId: boolean }[];
}

/** One call on a session store, as data; `put` stores a PUBLISH to topic `t` with payload `text`. */
export type StoreOp =
  | { op: 'put'; id: number; text: string; qos: 1 | 2; dup: boolean }
  | { op: 'release' | 'delete' | 'putIn' | 'delIn'; id: number }
  | { op: 'clearIn' }
  /** Queue a PUBLISH (topic `q`, payload `text`) under `seq`; `send` moves it to in flight as `id`. */
  | { op: 'queue'; seq: number; text: string; qos: 1 | 2 }
  | { op: 'send'; seq: number; id: number; text: string; qos: 1 | 2 }
  | { op: 'unqueue'; seq: number };

/** What test/browser/reload-page.ts puts on `window.rxMqttStoreKit`: the store API for page code. */
export interface StoreKit {
  /** `openIndexedDbStore` itself. */
  openIndexedDbStore: typeof openIndexedDbStore;
  /**
   * @param name the database name.
   * @param options passed to `openIndexedDbStore`.
   * @returns the store once loaded.
   */
  open(name: string, options?: IndexedDbStoreOptions): Promise<IndexedDbStore>;
  /** @returns a new `memoryStore()`, the model the IndexedDB store must agree with. */
  memoryStore(): SessionStore;
  /**
   * Makes the calls on `store`, in order, synchronously.
   *
   * @param store the store.
   * @param ops the calls.
   */
  apply(store: SessionStore, ops: readonly StoreOp[]): void;
  /**
   * @param session what a store loaded.
   * @returns it as plain data.
   */
  summary(session: StoredSession): SessionSummary;
  /**
   * Deletes a database; rejects when another connection blocks it for 5 s.
   *
   * @param name the database name.
   */
  deleteDatabase(name: string): Promise<void>;
}

/** What the publisher mode of reload-page.ts puts on `window.rxMqttReload`. */
export interface ReloadPageApi {
  /** @returns the stored session as plain data (from the store's memory). */
  stored(): SessionSummary;
  /**
   * Reloads the page from inside `putOutgoing` of message `n`, in the same task: message
   * `n` is in flight (sent, unacknowledged) when `location.reload()` is called.
   *
   * @param n the message number.
   */
  reloadWhenStored(n: number): void;
}

declare global {
  interface Window {
    rxMqttStoreKit?: StoreKit;
    rxMqttReload?: ReloadPageApi;
  }
}

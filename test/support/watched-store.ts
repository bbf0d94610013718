import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';

/** The calls of a {@link SessionStore} that change it. */
export type StoreChange = Exclude<keyof SessionStore, 'load' | 'whenWritten'>;

/**
 * A store that forwards every call to `inner`, calling `before(name)` ahead of each
 * change: to count the changes, or to throw (a full disk) before the store is touched.
 *
 * @example
 * ```ts
 * const store = watchedStore((name) => { if (name === 'putOutgoing') throw new Error('ENOSPC'); });
 * ```
 * @param before called with the name of each change, before it reaches `inner`.
 * @param inner the store that keeps the state; default a new `memoryStore()`.
 * @returns the store (without `whenWritten`: add it when the test needs one).
 */
export function watchedStore(before: (name: StoreChange) => void, inner: SessionStore = memoryStore()): SessionStore {
  return {
    load: () => inner.load(),
    putQueued: (seq, packet) => (before('putQueued'), inner.putQueued(seq, packet)),
    deleteQueued: (seq) => (before('deleteQueued'), inner.deleteQueued(seq)),
    putOutgoing: (packet, seq) => (before('putOutgoing'), inner.putOutgoing(packet, seq)),
    releaseOutgoing: (id) => (before('releaseOutgoing'), inner.releaseOutgoing(id)),
    deleteOutgoing: (id) => (before('deleteOutgoing'), inner.deleteOutgoing(id)),
    putIncoming: (id) => (before('putIncoming'), inner.putIncoming(id)),
    deleteIncoming: (id) => (before('deleteIncoming'), inner.deleteIncoming(id)),
    clearIncoming: () => (before('clearIncoming'), inner.clearIncoming()),
  };
}

export type { SessionStore, StoredSession, StoredPublish, StoredQueued } from './session-store.js';
export { memoryStore } from './memory-store.js';
export type { IndexedDbStore, IndexedDbStoreOptions } from './indexed-db-store.js';
export { openIndexedDbStore } from './indexed-db-store.js';

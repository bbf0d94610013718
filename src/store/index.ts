export type { SessionStore, StoredSession, StoredPublish } from './session-store.js';
export { memoryStore } from './memory-store.js';

// Node-only stores (node:fs). Re-exported by the Node entry, never by the browser entry.
export type { FileStore, FileStoreOptions } from './file-store.js';
export { fileStore } from './file-store.js';

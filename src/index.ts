/**
 * rx-mqtt, Node entry: everything in the browser entry plus the Node transports and the file store.
 *
 * @module rx-mqtt
 */
export * from './index.browser.js';
export * from './transport/index.node.js';
export * from './store/index.node.js';
// Names both entries define: the Node ones win (an explicit export shadows `export *`;
// without it, ESM would drop the ambiguous names altogether).
export { connect } from './client/connect.node.js';
export { websocket, transportFor } from './transport/index.node.js';

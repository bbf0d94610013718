// Node-only transports (net, tls, ws). Never imported by the browser entry.
export type { TcpTransportOptions } from './tcp.js';
export { tcp } from './tcp.js';
export type { TlsOptionsWithNoDelay } from './tls.js';
export { tls } from './tls.js';
export { websocket } from './websocket.node.js';
export { transportFor } from './transport-for.node.js';

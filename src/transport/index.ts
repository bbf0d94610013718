export type { Duplex, Transport } from './transport.js';
export type { TlsMaterial, TlsTransportOptions } from './tls-options.js';
export type { TransportOptions } from './transport-options.js';
export type { WebSocketFactory, WebSocketLike } from './websocket-transport.js';
export { websocketTransport } from './websocket-transport.js';
export { websocket } from './websocket.js';
export { transportFor } from './transport-for.js';
export type { MemoryDuplex, MemoryPair } from './memory.js';
export { memory, memoryPair } from './memory.js';

export type { Duplex, Transport } from './transport.js';

export * from './packet.js';
export * from './errors.js';

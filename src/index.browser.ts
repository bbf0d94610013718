// rx-mqtt, browser entry: no Node built-in is reachable from here.
export * from './packets/index.js';
export * from './transport/index.js';
export * from './operators/index.js';
export * from './protocol/index.js';
export * from './store/index.js';
export * from './client/index.js';

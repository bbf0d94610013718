// rx-mqtt, browser entry: no Node built-in is reachable from here.
export * from './packets/index.js';
export * from './transport/index.js';

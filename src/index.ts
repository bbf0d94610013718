// rx-mqtt, Node entry: everything in the browser entry plus the Node transports.
export * from './index.browser.js';
export * from './transport/index.node.js';

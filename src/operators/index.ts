export { frame } from './frame.js';
export { decodePackets } from './decode-packets.js';
export { encodePackets } from './encode-packets.js';
export { asText } from './as-text.js';
export { asJson } from './as-json.js';
export { bounded } from './bounded.js';
export type { BoundedOptions } from './bounded.js';

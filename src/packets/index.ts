export * from './packet.js';
export * from './errors.js';
export * from './topic.js';
export { encode, encodePublishHeader } from './encode.js';
export { decode, decodeFrame } from './decode.js';
export { Framer, type FrameSink } from './framer.js';
export {
  PROPERTIES,
  propertyById,
  propertyByName,
  type PropertyContext,
  type PropertyDefinition,
  type PropertyType,
} from './properties.js';
export {
  CONNECT_RETURN_CODES,
  REASON_CODES,
  reasonCodeName,
  type ReasonCode,
  type ReasonCodeCmd,
} from './reason-codes.js';
export type { MqttMessage } from './mqtt-message.js';

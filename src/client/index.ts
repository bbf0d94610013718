export { connect } from './connect.js';
export type { MqttClient, PacketEvent, PublishOptions, EndOptions } from './mqtt-client.js';
export type { Ackable } from './ackable.js';
export type { AuthenticateOptions, ClientOptions, ReconnectOptions, WillOptions } from './client-options.js';
export type { TransportChooser } from './client.js';
export type {
  MqttMessageWithParams,
  MqttParamsMessage,
  NamedFilter,
  NamedLevel,
  TopicParams,
  TopicParamValues,
} from './topic-params.js';
export { parseBrokerUrl } from './broker-url.js';
export type { BrokerUrl } from './broker-url.js';

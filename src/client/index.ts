export { connect } from './connect.js';
export type { MqttClient, PacketEvent, PublishOptions, EndOptions } from './mqtt-client.js';
export type { Ackable } from './ackable.js';
export type { RequestOptions } from './request-options.js';
export { respond } from './respond.js';
export type { Reply, ReplyMessage, RespondOptions } from './respond.js';
export type { AuthenticateOptions, ClientOptions, PerAttempt, ReconnectOptions, ServerAddress, WillOptions } from './client-options.js';
export { MqttCredentialsError } from './mqtt-credentials-error.js';
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

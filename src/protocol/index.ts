export { Session } from './session.js';
export type { SessionConfig } from './session-config.js';
export type { SessionOutput, TimerName } from './session-output.js';
export type { ConnectionState, Connack } from './connection-state.js';
export type { PublishRequest, PublishResult } from './publish-request.js';
export type { SubscribeOptions, TopicStream } from './topic-stream.js';
export { backoffDelay, DEFAULT_RECONNECT } from './backoff.js';
export type { ReconnectPolicy } from './backoff.js';
export { connackRefusal } from './connack-refusal.js';
export type { ConnackRefusal } from './connack-refusal.js';
export type { AuthChallenge } from './auth-challenge.js';
export {
  MqttAuthenticationError,
  MqttConnectionError,
  MqttSubscribeError,
  MqttPublishError,
  MqttQueueFullError,
  MqttClosedError,
  MqttTimeoutError,
} from './errors.js';
export { TopicTree } from './topic-tree.js';

export { Session } from './session.js';
export type { SessionConfig } from './session-config.js';
export type { SessionOutput, TimerName } from './session-output.js';
export type { ConnectionState, Connack, SessionConnectionState } from './connection-state.js';
export type { Credentials } from './credentials.js';
export { credentialsRefused } from './credentials-refused.js';
export { serverRedirect, SERVER_MOVED, USE_ANOTHER_SERVER } from './server-redirect.js';
export type { ServerRedirect } from './server-redirect.js';
export type { PublishRequest, PublishResult } from './publish-request.js';
export type { SubscribeOptions, TopicStream } from './topic-stream.js';
export { backoffDelay, DEFAULT_RECONNECT } from './backoff.js';
export type { ReconnectPolicy } from './backoff.js';
export { connackRefusal } from './connack-refusal.js';
export type { ConnackRefusal } from './connack-refusal.js';
export type { AuthChallenge } from './auth-challenge.js';
export type { AuthAnswer } from './auth-answer.js';
export type { AckReason } from './ack-reason.js';
export type { CheckedDisconnect, DisconnectRequest } from './disconnect-packet.js';
export {
  MqttAuthenticationError,
  MqttConnectionError,
  MqttSubscribeError,
  MqttPublishError,
  MqttQueueFullError,
  MqttClosedError,
  MqttTimeoutError,
  MqttCapabilityError,
  MqttStoreError,
} from './errors.js';
export type { ServerCapability } from './errors.js';
export { TopicTree } from './topic-tree.js';

import type { MqttMessage } from '../packets/mqtt-message.js';
import type { Packet } from '../packets/packet.js';
import type { SessionConnectionState } from './connection-state.js';
import type { MqttStoreError } from './errors.js';
import type { AuthChallenge } from './auth-challenge.js';
import type { PublishRequest, PublishResult } from './publish-request.js';
import type { TopicStream } from './topic-stream.js';

/**
 * The session's timers: `connect` (CONNACK deadline), `keepalive` (next PINGREQ, or
 * the PINGRESP deadline), `reconnect` (backoff) and `end` (grace for in-flight flows).
 */
export type TimerName = 'connect' | 'keepalive' | 'reconnect' | 'end';

/**
 * The effects of the session, called synchronously while it handles an input. The
 * implementer carries them out and must not feed a new input to the session from
 * inside one of these calls (queue it instead: a trampoline).
 */
export interface SessionOutput<P extends PublishRequest, S extends TopicStream> {
  /** Start a connection attempt: open the transport; report `opened` or `closed`. */
  open(): void;
  /** Write a packet on the open connection. */
  send(packet: Packet): void;
  /** Close the current connection (or cancel its opening). No `closed` input is expected. */
  close(): void;
  /** The connection state changed (the client adds the server's URL). */
  state(state: SessionConnectionState): void;
  /** A PUBLISH arrived (once per message, before the per-stream `deliver`s). */
  message(message: MqttMessage): void;
  /**
   * Hand `message` to one `topic()` stream whose filter matches. `receipt` is given to
   * a manual-ack stream for a QoS 1/2 message: pass it back to `Session.acknowledge`.
   */
  deliver(stream: S, message: MqttMessage, receipt?: number): void;
  /** The publish finished. */
  settle(request: P, result: PublishResult): void;
  /** The publish failed. */
  reject(request: P, error: Error): void;
  /** The stream failed (refused subscription, fatal close). */
  streamError(stream: S, error: Error): void;
  /**
   * The stream's subscription is in place on the server: a SUBACK granted it, or the
   * stream joined a subscription already granted in this session. Again after each
   * re-SUBSCRIBE (a reconnect without a session).
   */
  subscribed(stream: S): void;
  /** The stream ends (the client was ended). */
  streamComplete(stream: S): void;
  /**
   * MQTT 5 enhanced authentication: the server sent a challenge (AUTH 0x18). Answer it
   * with `Session.authAnswer(token, …)` or `Session.authFailed(token, …)`; an answer
   * after the connection ended, or to an older token, is ignored.
   */
  authChallenge(challenge: AuthChallenge, token: number): void;
  /** A re-authentication ended: `error` is `undefined` on the server's AUTH 0x00. */
  reauthenticated(error: Error | undefined): void;
  /** Fire `timer` (as an input) in `ms`; replaces any running timer of that name. */
  arm(timer: TimerName, ms: number): void;
  /** Cancel `timer` if it runs. */
  disarm(timer: TimerName): void;
  /**
   * A store call failed where no publish can carry the error (a release, a deletion,
   * an inbound identifier): the session goes on from memory.
   */
  storeError(error: MqttStoreError): void;
}

import type { ConnectProperties, Packet, ProtocolVersion, Will } from '../packets/packet.js';
import type { SessionStore } from '../store/session-store.js';
import type { ReconnectPolicy } from './backoff.js';

/** Everything the session needs to know, with the defaults already applied. */
export interface SessionConfig {
  readonly protocolVersion: ProtocolVersion;
  readonly clientId: string;
  /** Clean Session (3.x, every connection) / Clean Start (5, the first connection only). */
  readonly clean: boolean;
  /** Seconds; 0 disables keepalive. */
  readonly keepalive: number;
  readonly username?: string;
  readonly password?: Uint8Array;
  readonly will?: Will;
  /** Ms to wait for CONNACK (from the start of the attempt); also the `end()` grace. */
  readonly connectTimeout: number;
  /** Backoff between attempts, or `false` to close for good on the first failure. */
  readonly reconnect: ReconnectPolicy | false;
  /** Outbound QoS 1/2 window; `undefined` = 20 in 3.x, the server's Receive Maximum in 5. */
  readonly maxInflight?: number;
  /** Largest packet we accept, sent as Maximum Packet Size in MQTT 5. */
  readonly maxPacketSize: number;
  /** Publishes waiting to be sent (offline, or behind a full window) before `MqttQueueFullError`. */
  readonly queueLimit: number;
  readonly sessionExpiryInterval?: number;
  /** MQTT 5 CONNECT properties. */
  readonly properties?: ConnectProperties;
  /**
   * MQTT 5: give outbound topics aliases by themselves, within the server's Topic
   * Alias Maximum. `undefined` = true.
   */
  readonly topicAliases?: boolean;
  /** MQTT 5: DISCONNECT 0x93 when the server exceeds our Receive Maximum. `undefined` = true. */
  readonly enforceReceiveMaximum?: boolean;
  /** MQTT 5 enhanced authentication: the Authentication Method and initial Data of CONNECT. */
  readonly authentication?: { readonly method: string; readonly data?: Uint8Array };
  readonly store: SessionStore;
  /** Numbers in [0, 1) for the backoff jitter. */
  readonly random: () => number;
  /** The exact encoded size of a packet: used only to check the server's Maximum Packet Size. */
  readonly packetSize: (packet: Packet) => number;
  /** MQTT 5: retry at once, at the Server Reference of a 0x9C / 0x9D refusal or DISCONNECT. */
  readonly followRedirects?: boolean;
  /**
   * Whether the client can connect to a Server Reference (a URL it can parse and open,
   * not leaving TLS); one it cannot is not followed and the attempt backs off as any
   * failure. Unset: every reference can be followed.
   */
  readonly canFollow?: (reference: string) => boolean;
  /** The credentials are asked afresh before every attempt: their refusal is retried, not fatal. */
  readonly askedCredentials?: boolean;
}

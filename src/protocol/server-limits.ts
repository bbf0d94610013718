import type { ConnackPacket, QoS } from '../packets/packet.js';
import type { SessionConfig } from './session-config.js';
import type { SubscribeCapabilities } from './subscribe-refusal.js';

/**
 * What one connection's CONNACK says the client must respect, with MQTT's defaults for
 * what it leaves out (and for MQTT 3.x, whose CONNACK says none of it).
 */
export interface ServerLimits {
  /** Outbound QoS 1/2 PUBLISHes in flight at most: `maxInflight`, never above the server's Receive Maximum. */
  readonly window: number;
  /** The server's Maximum Packet Size, bytes; 0: none (MQTT-3.2.2-15). */
  readonly maximumPacketSize: number;
  /** The server's Maximum QoS (MQTT-3.2.2-11). */
  readonly maximumQoS: QoS;
  /** `false`: no retained PUBLISH (MQTT-3.2.2-14). */
  readonly retainAvailable: boolean;
  /** What the server can do with subscriptions. */
  readonly capabilities: Readonly<SubscribeCapabilities>;
  /** The server's Topic Alias Maximum; 0: no aliases (MQTT-3.2.2-18). */
  readonly topicAliasMaximum: number;
  /** Keepalive, ms: ours, or the Server Keep Alive (MQTT-3.2.2-21); 0: none. */
  readonly keepaliveMs: number;
  /** The client identifier the server assigned, if it did. */
  readonly assignedClientIdentifier: string | undefined;
}

/** Receive Maximum when a CONNECT / CONNACK carries none (MQTT 5 3.1.2.11.3, 3.2.2.3.3). */
export const RECEIVE_MAXIMUM_DEFAULT = 65535;
const WINDOW_3X_DEFAULT = 20;
const ALL_AVAILABLE: Readonly<SubscribeCapabilities> = Object.freeze({
  wildcardSubscriptionAvailable: true,
  sharedSubscriptionAvailable: true,
  subscriptionIdentifiersAvailable: true,
});

/**
 * The limits assumed before any CONNACK: everything available, no size limit, no aliases.
 *
 * @example
 * ```ts
 * let limits = DEFAULT_SERVER_LIMITS; // until the first CONNACK
 * ```
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  window: WINDOW_3X_DEFAULT,
  maximumPacketSize: 0,
  maximumQoS: 2,
  retainAvailable: true,
  capabilities: ALL_AVAILABLE,
  topicAliasMaximum: 0,
  keepaliveMs: 0,
  assignedClientIdentifier: undefined,
});

/**
 * The limits an accepting CONNACK sets for its connection.
 *
 * @example
 * ```ts
 * serverLimits({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { receiveMaximum: 10 } }, config);
 * // { window: 10, maximumPacketSize: 0, maximumQoS: 2, …, keepaliveMs: config.keepalive * 1000 }
 * ```
 * @param connack the CONNACK (accepting the connection).
 * @param config the protocol version, our keepalive and `maxInflight`.
 * @returns the limits of the connection.
 */
export function serverLimits(
  connack: ConnackPacket,
  config: Pick<SessionConfig, 'protocolVersion' | 'keepalive' | 'maxInflight'>,
): ServerLimits {
  if (config.protocolVersion !== 5) {
    return { ...DEFAULT_SERVER_LIMITS, window: config.maxInflight ?? WINDOW_3X_DEFAULT, keepaliveMs: config.keepalive * 1000 };
  }
  const props = connack.properties;
  const receiveMaximum = props?.receiveMaximum ?? RECEIVE_MAXIMUM_DEFAULT;
  return {
    // MQTT-3.3.4-7: never more than the server's Receive Maximum in flight.
    window: Math.min(config.maxInflight ?? receiveMaximum, receiveMaximum),
    maximumPacketSize: props?.maximumPacketSize ?? 0,
    maximumQoS: (props?.maximumQoS ?? 2) as QoS,
    retainAvailable: props?.retainAvailable ?? true,
    capabilities: {
      wildcardSubscriptionAvailable: props?.wildcardSubscriptionAvailable ?? true,
      sharedSubscriptionAvailable: props?.sharedSubscriptionAvailable ?? true,
      subscriptionIdentifiersAvailable: props?.subscriptionIdentifiersAvailable ?? true,
    },
    topicAliasMaximum: props?.topicAliasMaximum ?? 0,
    // MQTT-3.2.2-21: the Server Keep Alive replaces ours.
    keepaliveMs: (props?.serverKeepAlive ?? config.keepalive) * 1000,
    assignedClientIdentifier: props?.assignedClientIdentifier,
  };
}

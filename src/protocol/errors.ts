import { MqttError } from '../packets/errors.js';
import type { AckProperties, ConnackProperties, DisconnectProperties } from '../packets/packet.js';

/**
 * The connection failed: a CONNACK refusal (`reasonCode` is the CONNACK return code
 * in 3.x or reason code in 5), a DISCONNECT from the server (its reason code), or a
 * connection lost or refused by the network (no reason code).
 *
 * @example
 * ```ts
 * client.state$.subscribe((s) => {
 *   if (s.status === 'closed' && s.error instanceof MqttConnectionError) console.log(s.error.reasonCode);
 * });
 * ```
 */
export class MqttConnectionError extends MqttError {
  /**
   * MQTT 5: the properties of the refusing CONNACK or of the server's DISCONNECT
   * (reason string, user properties, server reference).
   */
  readonly properties?: ConnackProperties | DisconnectProperties;

  /**
   * @param message what failed.
   * @param reasonCode the CONNACK / DISCONNECT reason code, if any.
   * @param cause the network error behind it, if any.
   * @param properties the CONNACK / DISCONNECT properties (MQTT 5), if any.
   */
  constructor(message: string, reasonCode?: number, cause?: unknown, properties?: ConnackProperties | DisconnectProperties) {
    super(message, reasonCode);
    if (cause !== undefined) this.cause = cause;
    if (properties !== undefined) this.properties = properties;
  }
}

/** The server refused a subscription: `reasonCode` is the SUBACK code (0x80 in 3.x). */
export class MqttSubscribeError extends MqttError {
  /** MQTT 5: the SUBACK's properties (reason string, user properties), if any. */
  readonly properties?: AckProperties;

  /**
   * @param message what was refused, naming the filter.
   * @param reasonCode the SUBACK return / reason code.
   * @param filter the topic filter that was refused.
   * @param properties the SUBACK's properties (MQTT 5), if any.
   */
  constructor(
    message: string,
    reasonCode: number,
    readonly filter: string,
    properties?: AckProperties,
  ) {
    super(message, reasonCode);
    if (properties !== undefined) this.properties = properties;
  }
}

/** The server refused a publish: a PUBACK or PUBREC reason code ≥ 0x80 (MQTT 5). */
export class MqttPublishError extends MqttError {
  /** MQTT 5: the refusing PUBACK / PUBREC's properties (reason string, user properties), if any. */
  readonly properties?: AckProperties;

  /**
   * @param message what was refused, naming the topic.
   * @param reasonCode the PUBACK / PUBREC reason code.
   * @param topic the topic of the refused message.
   * @param properties the acknowledgement's properties (MQTT 5), if any.
   */
  constructor(
    message: string,
    reasonCode: number,
    readonly topic: string,
    properties?: AckProperties,
  ) {
    super(message, reasonCode);
    if (properties !== undefined) this.properties = properties;
  }
}

/**
 * MQTT 5 enhanced authentication failed on the client's side: the `respond` function
 * of the `authenticate` option failed (`cause`) or completed without an answer. The
 * client sent DISCONNECT 0x80 and closed the connection.
 */
export class MqttAuthenticationError extends MqttError {
  /**
   * @param message what failed.
   * @param cause the error of `respond`, if it failed.
   */
  constructor(message: string, cause?: unknown) {
    super(message);
    if (cause !== undefined) this.cause = cause;
  }
}

/** The offline queue holds `queueLimit` publishes already; this one was not queued. */
export class MqttQueueFullError extends MqttError {}

/**
 * The client was closed (by `end()`, or for good after a fatal error) before the
 * operation could finish. `cause` holds the fatal error, when there is one.
 */
export class MqttClosedError extends MqttError {
  /**
   * @param message what could not finish.
   * @param cause the error that closed the client, if it did not close by `end()`.
   */
  constructor(message: string, cause?: Error) {
    super(message);
    if (cause !== undefined) this.cause = cause;
  }
}

/** A timer of the protocol ran out: no CONNACK within `connectTimeout`, no PINGRESP within the keepalive. */
export class MqttTimeoutError extends MqttError {}

/** A server capability from CONNACK (MQTT 5), named as its CONNACK property. */
export type ServerCapability =
  | 'retainAvailable'
  | 'maximumQoS'
  | 'wildcardSubscriptionAvailable'
  | 'sharedSubscriptionAvailable'
  | 'subscriptionIdentifiersAvailable';

/**
 * The server said in CONNACK that it cannot do what was asked (a retained message, a
 * QoS above its Maximum QoS, a wildcard or shared subscription, a subscription
 * identifier): the publish or the `topic()` stream fails here, before anything is
 * sent, instead of the server closing the connection. `reasonCode` is the one the
 * server would have used: 0x9A, 0x9B, 0xA2, 0x9E, 0xA1.
 *
 * @example
 * ```ts
 * client.publish('a', 'x', { retain: true }).subscribe({
 *   error: (e) => { if (e instanceof MqttCapabilityError) console.log(e.capability); }, // 'retainAvailable'
 * });
 * ```
 */
export class MqttCapabilityError extends MqttError {
  /**
   * @param message what was refused and why.
   * @param capability the CONNACK property that rules it out.
   * @param reasonCode the matching MQTT 5 reason code.
   */
  constructor(
    message: string,
    readonly capability: ServerCapability,
    reasonCode: number,
  ) {
    super(message, reasonCode);
  }
}

/**
 * The session store failed (a full or read-only disk, an IndexedDB quota, a closed
 * store): `operation` names the store call, `cause` holds what it threw. A publish whose
 * record could not be written fails with it and is not sent; a failure of any other
 * store call is reported on `MqttClient.errors$` and the session goes on from memory.
 *
 * @example
 * ```ts
 * client.errors$.subscribe((e) => {
 *   if (e instanceof MqttStoreError) console.warn(`store ${e.operation} failed`, e.cause);
 * });
 * ```
 */
export class MqttStoreError extends MqttError {
  /**
   * @param message what failed.
   * @param operation the store call that threw (`putQueued`, `putOutgoing`, `deleteOutgoing`, …).
   * @param cause what it threw.
   */
  constructor(
    message: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(message);
    this.cause = cause;
  }
}

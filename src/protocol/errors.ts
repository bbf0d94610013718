import { MqttError } from '../packets/errors.js';

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
   * @param message what failed.
   * @param reasonCode the CONNACK / DISCONNECT reason code, if any.
   * @param cause the network error behind it, if any.
   */
  constructor(message: string, reasonCode?: number, cause?: unknown) {
    super(message, reasonCode);
    if (cause !== undefined) this.cause = cause;
  }
}

/** The server refused a subscription: `reasonCode` is the SUBACK code (0x80 in 3.x). */
export class MqttSubscribeError extends MqttError {
  /**
   * @param message what was refused, naming the filter.
   * @param reasonCode the SUBACK return / reason code.
   * @param filter the topic filter that was refused.
   */
  constructor(
    message: string,
    reasonCode: number,
    readonly filter: string,
  ) {
    super(message, reasonCode);
  }
}

/** The server refused a publish: a PUBACK or PUBREC reason code ≥ 0x80 (MQTT 5). */
export class MqttPublishError extends MqttError {
  /**
   * @param message what was refused, naming the topic.
   * @param reasonCode the PUBACK / PUBREC reason code.
   * @param topic the topic of the refused message.
   */
  constructor(
    message: string,
    reasonCode: number,
    readonly topic: string,
  ) {
    super(message, reasonCode);
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

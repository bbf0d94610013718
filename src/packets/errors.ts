/**
 * The root of every error rx-mqtt reports. `reasonCode` is the MQTT reason code
 * behind it, when there is one.
 *
 * @example
 * ```ts
 * client.publish('a/b', 'hi', { qos: 1 }).subscribe({
 *   error: (err) => { if (err instanceof MqttError) console.log(err.reasonCode); },
 * });
 * ```
 */
export class MqttError extends Error {
  /** The MQTT reason code (or 3.1.1 return code) behind the error, if any. */
  readonly reasonCode?: number;

  /**
   * @param message what went wrong, naming the field or argument.
   * @param reasonCode the MQTT reason code, if there is one.
   */
  constructor(message: string, reasonCode?: number) {
    super(message);
    this.name = new.target.name;
    if (reasonCode !== undefined) this.reasonCode = reasonCode;
  }
}

/**
 * A packet that breaks the protocol: malformed bytes (`reasonCode` 0x81) or a
 * well-formed packet the protocol forbids (0x82), or a packet over the maximum
 * packet size (0x95). The message names the field.
 */
export class MqttProtocolError extends MqttError {
  declare readonly reasonCode: number;

  /**
   * @param message what was wrong, naming the field.
   * @param reasonCode 0x81 malformed packet, 0x82 protocol error, 0x95 packet too large, …
   */
  constructor(message: string, reasonCode: number = MALFORMED_PACKET) {
    super(message, reasonCode);
  }
}

/** Reason code 0x81: Malformed Packet. */
export const MALFORMED_PACKET = 0x81;
/** Reason code 0x82: Protocol Error. */
export const PROTOCOL_ERROR = 0x82;
/** Reason code 0x95: Packet Too Large. */
export const PACKET_TOO_LARGE = 0x95;

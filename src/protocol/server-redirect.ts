import { MqttConnectionError } from './errors.js';

/** MQTT 5 reason code 0x9C: Use another server (temporary). */
export const USE_ANOTHER_SERVER = 0x9c;
/** MQTT 5 reason code 0x9D: Server moved (permanent). */
export const SERVER_MOVED = 0x9d;

/** A server's request to connect elsewhere (MQTT 5 §4.11, Server redirection). */
export interface ServerRedirect {
  /** The Server Reference, as the server sent it (its format is not specified). */
  readonly reference: string;
  /** 0x9D Server moved: use the reference from now on; 0x9C: for the next attempt only. */
  readonly permanent: boolean;
}

/**
 * The redirect behind a connection error: a CONNACK or DISCONNECT with reason code
 * 0x9C (Use another server) or 0x9D (Server moved) that carries a Server Reference.
 *
 * @example
 * ```ts
 * serverRedirect(new MqttConnectionError('refused', 0x9c, undefined, { serverReference: 'b:1883' }));
 * // { reference: 'b:1883', permanent: false }
 * ```
 * @param error why the connection failed.
 * @returns the redirect, or `undefined` when the error is none (or names no server).
 */
export function serverRedirect(error: Error): ServerRedirect | undefined {
  if (!(error instanceof MqttConnectionError)) return undefined;
  const code = error.reasonCode;
  if (code !== USE_ANOTHER_SERVER && code !== SERVER_MOVED) return undefined;
  const properties: { serverReference?: unknown } | undefined = error.properties;
  const reference = properties?.serverReference;
  if (typeof reference !== 'string' || reference.trim() === '') return undefined;
  return { reference, permanent: code === SERVER_MOVED };
}

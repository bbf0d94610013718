import type { ProtocolVersion } from '../packets/packet.js';
import { reasonCodeName } from '../packets/reason-codes.js';
import {
  MqttClosedError,
  MqttConnectionError,
  MqttPublishError,
  MqttSubscribeError,
  MqttTimeoutError,
} from '../protocol/errors.js';
import { errorMessage } from '../packets/error-message.js';

/** What the command knew when the error came. */
export interface ErrorContext {
  /** The broker URL; its credentials are never shown. */
  readonly url: string;
  readonly version: ProtocolVersion;
  /** Whether a CONNACK had accepted the connection. */
  readonly connected: boolean;
}

/**
 * A one-line explanation of why a command failed, for stderr: a CONNACK refusal with
 * its reason code's name (`connection refused by the broker: Not authorized (reason
 * code 0x87)`), a connection that could not be opened with the system's code
 * (`cannot connect to mqtt://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1`), a
 * refused subscription or publish with its reason code's name, or the error's message.
 *
 * @param error what failed.
 * @param context the URL, the protocol version and whether the client had connected.
 * @returns the explanation.
 */
export function describeError(error: unknown, context: ErrorContext): string {
  if (error instanceof MqttClosedError && error.cause instanceof Error) return describeError(error.cause, context);
  if (error instanceof MqttConnectionError) {
    if (!context.connected && error.reasonCode !== undefined) {
      return `connection refused by the broker: ${codeName(error.reasonCode, 'connack', context.version)}`;
    }
    if (error.reasonCode !== undefined) {
      return `the broker disconnected: ${codeName(error.reasonCode, 'disconnect', context.version)}`;
    }
    if (!context.connected) return `cannot connect to ${displayUrl(context.url)}: ${causeOf(error)}`;
    return error.message;
  }
  if (error instanceof MqttTimeoutError && !context.connected) {
    return `cannot connect to ${displayUrl(context.url)}: ${error.message}`;
  }
  if (error instanceof MqttSubscribeError) {
    return `subscription to ${JSON.stringify(error.filter)} refused: ${codeName(error.reasonCode ?? 0x80, 'suback', context.version)}`;
  }
  if (error instanceof MqttPublishError) {
    return `publish to ${JSON.stringify(error.topic)} refused: ${codeName(error.reasonCode ?? 0x80, 'puback', context.version)}`;
  }
  return errorMessage(error);
}

/** `Name (reason code 0x87)` in MQTT 5, `Name (return code 5)` for a 3.x CONNACK. */
function codeName(code: number, cmd: 'connack' | 'disconnect' | 'suback' | 'puback', version: ProtocolVersion): string {
  if (version < 5) {
    if (cmd === 'connack') return `${reasonCodeName(code, cmd, version) ?? 'unknown return code'} (return code ${code})`;
    if (cmd === 'suback') return `Failure (return code 0x${code.toString(16)})`;
  }
  return `${reasonCodeName(code, cmd) ?? 'unknown reason code'} (reason code 0x${code.toString(16).padStart(2, '0')})`;
}

/** The network error behind a connection error (`connect ECONNREFUSED …`), with its code. */
function causeOf(error: MqttConnectionError): string {
  const cause = error.cause;
  if (!(cause instanceof Error)) return error.message;
  const code = (cause as Error & { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}

/** The URL without user name and password. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

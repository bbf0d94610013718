import type { MqttMessage } from '../packets/mqtt-message.js';
import { textOf } from './text-of.js';
import { toBase64 } from './to-base64.js';

const utf8 = new TextEncoder();
const NEWLINE = 0x0a;

/** The JSON object `sub --json` prints for each message, one per line. */
export interface MessageJson {
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** The payload as text, or in base64 when it is not valid UTF-8 text. */
  payload: string;
  encoding: 'utf8' | 'base64';
  /** MQTT 5 properties; bytes (correlation data) in base64. */
  properties?: Record<string, unknown>;
}

/**
 * The line `rx-mqtt sub` prints for a message: the payload bytes as they are
 * (`'payload'`), the topic, a space and the payload (`'verbose'`, `-v`), or a
 * {@link MessageJson} (`'json'`). Always ends with a newline.
 *
 * @example
 * ```ts
 * formatMessage(message, 'verbose'); // bytes of 'a/b hello\n'
 * ```
 * @param message the message.
 * @param format how to print it.
 * @returns the bytes to write.
 */
export function formatMessage(message: MqttMessage, format: 'payload' | 'verbose' | 'json'): Uint8Array {
  if (format === 'json') return utf8.encode(JSON.stringify(messageJson(message)) + '\n');
  const prefix = format === 'verbose' ? utf8.encode(`${message.topic} `) : new Uint8Array(0);
  const line = new Uint8Array(prefix.length + message.payload.length + 1);
  line.set(prefix, 0);
  line.set(message.payload, prefix.length);
  line[line.length - 1] = NEWLINE;
  return line;
}

/**
 * A message as the JSON object `sub --json` prints.
 *
 * @param message the message.
 * @returns the object.
 */
export function messageJson(message: MqttMessage): MessageJson {
  const text = textOf(message.payload);
  const json: MessageJson = {
    topic: message.topic,
    qos: message.qos,
    retain: message.retain,
    payload: text ?? toBase64(message.payload),
    encoding: text === undefined ? 'base64' : 'utf8',
  };
  if (message.properties !== undefined) {
    json.properties = Object.fromEntries(
      Object.entries(message.properties).map(([name, value]: [string, unknown]) => [
        name,
        value instanceof Uint8Array ? toBase64(value) : value,
      ]),
    );
  }
  return json;
}

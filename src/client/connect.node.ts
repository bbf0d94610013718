import { transportFor } from '../transport/transport-for.node.js';
import { Client } from './client.js';
import type { ClientOptions } from './client-options.js';
import type { MqttClient } from './mqtt-client.js';

/**
 * Connects to an MQTT server: returns the client at once, already connecting (hot
 * until `end()`). The Node entry's `connect`: `mqtt:`/`tcp:` (TCP), `mqtts:`/`tls:`
 * (TLS), `ws:`/`wss:` (WebSocket through `ws`), or any scheme with `options.transport`.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://127.0.0.1:1883', { protocolVersion: 5, keepalive: 30 });
 * client.publish('greetings', 'hello', { qos: 1 }).subscribe((r) => console.log(r.packetId));
 * ```
 * @param url the broker URL; credentials may be in it.
 * @param options see {@link ClientOptions}.
 * @returns the client.
 * @throws TypeError / RangeError for a bad URL or option.
 */
export function connect(url: string | URL, options: ClientOptions = {}): MqttClient {
  return new Client(url, options, transportFor);
}

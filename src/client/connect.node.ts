import { transportFor } from '../transport/transport-for.node.js';
import { Client } from './client.js';
import { isOptions } from './server-entries.js';
import type { ClientOptions, ServerAddress } from './client-options.js';
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
 * @param url the broker URL; credentials may be in it; or a function giving
 *   the URL before each attempt (signed URLs). `options.servers` adds more servers.
 * @param options see {@link ClientOptions}.
 * @returns the client.
 * @throws TypeError / RangeError for a bad URL or option.
 */
export function connect(url: ServerAddress, options?: ClientOptions): MqttClient;
/**
 * Connects to the servers of `options.servers` (the first, then the others in turn).
 *
 * @param options see {@link ClientOptions}; `servers` must name at least one server.
 * @returns the client.
 */
export function connect(options: ClientOptions & { servers: ServerAddress[] }): MqttClient;
export function connect(url: ServerAddress | ClientOptions, options: ClientOptions = {}): MqttClient {
  if (isOptions(url)) return new Client(undefined, url, transportFor);
  return new Client(url, options, transportFor);
}

import { transportFor } from '../transport/transport-for.js';
import { Client } from './client.js';
import { isOptions } from './server-entries.js';
import type { ClientOptions, ServerAddress } from './client-options.js';
import type { MqttClient } from './mqtt-client.js';

/**
 * Connects to an MQTT server: returns the client at once, already connecting (hot
 * until `end()`). This is the browser entry's `connect` (WebSocket URLs); the Node
 * entry's `connect` also speaks `mqtt:`, `tcp:`, `mqtts:` and `tls:`.
 *
 * @example
 * ```ts
 * const client = connect('wss://broker.example/mqtt', { protocolVersion: 5 });
 * client.topic('news/#').pipe(asText()).subscribe(console.log);
 * ```
 * @param url `ws:` or `wss:` (any scheme with `options.transport`); credentials may be in it; or a function giving
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

import WebSocket from 'ws';
import type { Transport } from './transport.js';
import { websocketTransport } from './websocket-transport.js';
import type { TlsTransportOptions } from './tls-options.js';
import { toNodeTlsOptions } from './node-tls-options.js';

/**
 * MQTT over WebSocket in Node (the `ws` package): `ws:` and `wss:` URLs, subprotocol
 * `mqtt`, binary frames. For `wss:`, the TLS options apply (`ca`, `rejectUnauthorized`, …).
 * A handshake failure (a refused connection, an HTTP error, a server that does not
 * speak `mqtt`) errors the Transport with `ws`'s Error.
 *
 * @example
 * ```ts
 * const client = connect('wss://127.0.0.1:8081/mqtt', { transport: websocket({ ca }) });
 * ```
 * @param options TLS options for `wss:`.
 * @returns the Transport; each subscription opens one connection.
 */
export function websocket(options: TlsTransportOptions = {}): Transport {
  const nodeOptions = toNodeTlsOptions(options);
  return websocketTransport((url, protocols) => new WebSocket(url, protocols, nodeOptions));
}

import type { Transport } from './transport.js';
import type { TransportOptions } from './transport-options.js';
import { websocket } from './websocket.js';

/**
 * Picks the transport for a broker URL in the browser: `ws:` and `wss:` only (the
 * global `WebSocket`). The Node entry's `transportFor` also maps `mqtt:`/`tcp:` and
 * `mqtts:`/`tls:`.
 *
 * @example
 * ```ts
 * const transport = transportFor(new URL('wss://broker.example/mqtt'));
 * ```
 * @param url the broker URL.
 * @param _options ignored in the browser (no TLS or TCP knobs).
 * @returns the transport for the scheme.
 * @throws TypeError naming the scheme when it is not `ws:` or `wss:`.
 */
export function transportFor(url: URL, _options: TransportOptions = {}): Transport {
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return websocket();
  throw new TypeError(
    `url scheme "${url.protocol}" is not supported in the browser (ws:, wss:); use the Node entry or a transport option`,
  );
}

import type { Transport } from './transport.js';
import { websocketTransport } from './websocket-transport.js';

/**
 * MQTT over WebSocket in the browser (the global `WebSocket`): `ws:` and `wss:` URLs,
 * subprotocol `mqtt`, binary frames. The Node entry's `websocket` uses the `ws` package.
 *
 * @example
 * ```ts
 * const client = connect('wss://broker.example/mqtt', { transport: websocket() });
 * ```
 * @returns the Transport; each subscription opens one connection.
 * @throws TypeError (on subscribe) when there is no global `WebSocket`.
 */
export function websocket(): Transport {
  return websocketTransport((url, protocols) => {
    if (typeof globalThis.WebSocket !== 'function') {
      throw new TypeError('websocket(): no global WebSocket here; in Node use the rx-mqtt Node entry');
    }
    return new globalThis.WebSocket(url, protocols);
  });
}

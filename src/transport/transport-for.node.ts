import { tcp } from './tcp.js';
import { tls } from './tls.js';
import type { Transport } from './transport.js';
import type { TransportOptions } from './transport-options.js';
import { websocket } from './websocket.node.js';

/**
 * Picks the transport for a broker URL in Node: `mqtt:`/`tcp:` → {@link tcp},
 * `mqtts:`/`tls:` → {@link tls}, `ws:`/`wss:` → `websocket` (the `ws` package).
 *
 * @example
 * ```ts
 * const transport = transportFor(new URL('mqtts://broker:8883'), { tls: { ca }, noDelay: true });
 * ```
 * @param url the broker URL.
 * @param options `tls` (for `mqtts:`, `tls:`, `wss:`) and `noDelay` (for TCP and TLS).
 * @returns the transport for the scheme.
 * @throws TypeError naming the scheme when it is none of these.
 */
export function transportFor(url: URL, options: TransportOptions = {}): Transport {
  const noDelay = options.noDelay ?? true;
  switch (url.protocol) {
    case 'mqtt:':
    case 'tcp:':
      return tcp({ noDelay });
    case 'mqtts:':
    case 'tls:':
      return tls({ ...options.tls, noDelay });
    case 'ws:':
    case 'wss:':
      return websocket(options.tls);
    default:
      throw new TypeError(`url scheme "${url.protocol}" is not supported (mqtt:, tcp:, mqtts:, tls:, ws:, wss:)`);
  }
}

import { connect } from 'node:tls';
import type { Transport } from './transport.js';
import { socketTransport } from './socket-transport.js';
import { hostOf, portOf } from './tcp.js';
import type { TlsTransportOptions } from './tls-options.js';
import { toNodeTlsOptions } from './node-tls-options.js';

/** Options of the {@link tls} transport: Node TLS options plus `noDelay`. */
export interface TlsOptionsWithNoDelay extends TlsTransportOptions {
  /** TCP_NODELAY (Nagle off); default true. */
  noDelay?: boolean;
}

/**
 * MQTT over TLS (Node `tls`): `mqtts:` and `tls:` URLs, default port 8883. The server
 * certificate is verified (Node's default) unless `rejectUnauthorized: false`; a
 * failed handshake errors the Transport with Node's TLS error.
 *
 * @example
 * ```ts
 * const client = connect('mqtts://broker', { transport: tls({ ca: readFileSync('ca.pem', 'utf8') }) });
 * ```
 * @param options TLS options (`ca`, `cert`, `key`, `rejectUnauthorized`, `servername`, …) and `noDelay` (default true).
 * @returns the Transport; each subscription opens one connection.
 */
export function tls(options: TlsOptionsWithNoDelay = {}): Transport {
  const { noDelay = true, ...tlsOptions } = options;
  const nodeOptions = toNodeTlsOptions(tlsOptions);
  return (url) =>
    socketTransport(() => {
      const socket = connect({ ...nodeOptions, host: hostOf(url), port: portOf(url, 8883) });
      socket.setNoDelay(noDelay);
      return socket;
    }, 'secureConnect');
}

import type { TlsTransportOptions } from './tls-options.js';

/** What {@link transportFor} reads from the client options to build a transport. */
export interface TransportOptions {
  /** TLS options for `mqtts:`, `tls:` and (Node) `wss:`. */
  tls?: TlsTransportOptions;
  /** TCP_NODELAY on TCP/TLS sockets; default true. */
  noDelay?: boolean;
}

import { connect } from 'node:net';
import type { Transport } from './transport.js';
import { socketTransport } from './socket-transport.js';

/** Options of the {@link tcp} transport. */
export interface TcpTransportOptions {
  /** TCP_NODELAY (Nagle off); default true. */
  noDelay?: boolean;
}

/**
 * MQTT over plain TCP (Node `net`): `mqtt:` and `tcp:` URLs, default port 1883.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://127.0.0.1', { transport: tcp({ noDelay: true }) });
 * ```
 * @param options `noDelay` (default true).
 * @returns the Transport; each subscription opens one connection.
 */
export function tcp(options: TcpTransportOptions = {}): Transport {
  const noDelay = options.noDelay ?? true;
  return (url) =>
    socketTransport(() => {
      const socket = connect({ host: hostOf(url), port: portOf(url, 1883) });
      socket.setNoDelay(noDelay);
      return socket;
    }, 'connect');
}

/**
 * The host name of a URL as sockets want it: IPv6 literals without their brackets.
 *
 * @param url the broker URL.
 * @returns the host to connect to.
 */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The port of a URL, or the scheme's default when the URL names none.
 *
 * @param url the broker URL.
 * @param fallback the default port of the scheme.
 * @returns the port to connect to.
 */
export function portOf(url: URL, fallback: number): number {
  return url.port === '' ? fallback : Number(url.port);
}

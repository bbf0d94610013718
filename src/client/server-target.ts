import type { Transport } from '../transport/transport.js';
import { parseBrokerUrl, type BrokerUrl } from './broker-url.js';
import type { ClientOptions } from './client-options.js';

/** A server a connection attempt goes to. */
export interface ServerTarget {
  /** Its URL (without credentials) and the credentials found in it. */
  readonly broker: BrokerUrl;
  /** Its URL without credentials, query or fragment, as `state$` shows it. */
  readonly server: string;
  /** The transport for its scheme (or the one of `options.transport`). */
  readonly transport: Transport;
}

/**
 * Parses a server's URL and picks its transport.
 *
 * @example
 * ```ts
 * serverTarget('mqtt://u:p@10.0.0.7', {}, transportFor).server; // 'mqtt://10.0.0.7:1883'
 * ```
 * @param input the URL.
 * @param options `transport` (used for every scheme when set), and what the chooser reads.
 * @param choose the transport for a scheme.
 * @param inherit credentials to keep when the URL has none (a redirect of this server).
 * @returns the target.
 * @throws TypeError for an unparsable URL or an unsupported scheme.
 */
export function serverTarget(
  input: string | URL,
  options: ClientOptions,
  choose: (url: URL, options: ClientOptions) => Transport,
  inherit?: BrokerUrl,
): ServerTarget {
  let broker = parseBrokerUrl(input, options.transport !== undefined);
  if (inherit !== undefined && broker.username === undefined && broker.password === undefined) {
    broker = { ...inherit, url: broker.url };
  }
  const { url } = broker;
  return {
    broker,
    server: `${url.protocol}//${url.host}${url.pathname}`,
    transport: options.transport ?? choose(url, options),
  };
}

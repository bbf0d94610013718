/** Default port of each URL scheme the client speaks. */
const DEFAULT_PORTS: Record<string, number> = { mqtt: 1883, tcp: 1883, mqtts: 8883, tls: 8883, ws: 80, wss: 443 };

/** A broker URL taken apart: the address for the transport, and credentials found in it. */
export interface BrokerUrl {
  /** Without credentials; with the scheme's default port and (WebSocket) path `/mqtt` when absent. */
  readonly url: URL;
  readonly username?: string;
  readonly password?: string;
}

/**
 * Parses a broker URL: `mqtt:`/`tcp:` (default port 1883), `mqtts:`/`tls:` (8883),
 * `ws:` (80) and `wss:` (443, both with default path `/mqtt`); user name and password
 * may be in the URL (percent-decoded). Any other scheme is accepted only when
 * `customTransport` is set, and is left as it is.
 *
 * @example
 * ```ts
 * parseBrokerUrl('mqtt://user:secret@broker').url.href; // 'mqtt://broker:1883'
 * ```
 * @param input the URL given to `connect`.
 * @param customTransport whether a transport was given, so the scheme need not be known.
 * @returns the address and credentials.
 * @throws TypeError for an unparsable URL or an unsupported scheme.
 */
export function parseBrokerUrl(input: string | URL, customTransport = false): BrokerUrl {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new TypeError(`url ${JSON.stringify(String(input))} is not a valid URL`);
  }
  const scheme = url.protocol.slice(0, -1);
  const port = DEFAULT_PORTS[scheme];
  if (port === undefined && !customTransport) {
    throw new TypeError(`url scheme "${url.protocol}" is not supported (mqtt:, tcp:, mqtts:, tls:, ws:, wss:)`);
  }
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  if (port !== undefined && url.port === '') url.port = String(port);
  if ((scheme === 'ws' || scheme === 'wss') && (url.pathname === '' || url.pathname === '/')) url.pathname = '/mqtt';
  return {
    url,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** Schemes whose connections are encrypted: a redirect never leaves them for a plain one. */
const SECURE = new Set(['mqtts:', 'tls:', 'wss:']);
const HAS_SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * The URL a Server Reference (MQTT 5 §4.11) points to, seen from the server that sent
 * it. Its format is not specified: it may be a space-separated list (the first usable
 * entry wins: one that parses, does not leave TLS, and `accepts` takes), each entry `host`, `host:port`, `[v6]:port` or a full URL. A host keeps
 * the current URL's scheme, path and query, with the given port or the scheme's
 * default one. A reference that would leave TLS for a plain connection is not used.
 *
 * @example
 * ```ts
 * redirectUrl('10.0.0.2:1884', new URL('mqtt://10.0.0.1:1883'))?.href; // 'mqtt://10.0.0.2:1884'
 * ```
 * @param reference the Server Reference property.
 * @param current the URL of the server that sent it (no credentials).
 * @param accepts whether the client can open a URL (a scheme it has a transport for).
 * @returns the URL to connect to, or `undefined` when no entry is usable.
 */
export function redirectUrl(reference: string, current: URL, accepts: (url: URL) => boolean = () => true): URL | undefined {
  for (const entry of reference.trim().split(/\s+/)) {
    const url = parse(entry, current);
    if (url !== undefined && !(SECURE.has(current.protocol) && !SECURE.has(url.protocol)) && accepts(url)) return url;
  }
  return undefined;
}

function parse(entry: string, current: URL): URL | undefined {
  try {
    if (HAS_SCHEME.test(entry)) return new URL(entry);
    const address = new URL(`${current.protocol}//${entry}`);
    if (address.hostname === '' || address.username !== '' || address.password !== '') return undefined;
    if ((address.pathname !== '' && address.pathname !== '/') || address.search !== '' || address.hash !== '') {
      return undefined;
    }
    const url = new URL(current.href);
    url.hostname = address.hostname;
    url.port = address.port;
    return url;
  } catch {
    return undefined;
  }
}

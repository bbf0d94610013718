import type { ClientOptions, ServerAddress } from './client-options.js';
import type { ServerEntry } from './server-list.js';
import type { ServerTarget } from './server-target.js';

/**
 * Whether `connect`'s first argument is the options (`connect({ servers })`) rather
 * than a URL: an object that is no URL (not even one of another realm).
 *
 * @example
 * ```ts
 * isOptions({ servers: ['mqtt://a'] }); // true
 * ```
 * @param first the first argument of `connect`.
 * @returns true for options.
 */
export function isOptions(first: ServerAddress | ClientOptions): first is ClientOptions {
  return typeof first === 'object' && !(first instanceof URL) && typeof (first as { href?: unknown }).href !== 'string';
}

/**
 * The servers of `connect(url, options)`: `url` first, then `options.servers`; the
 * URLs parsed (and their transports picked) now, the functions kept to be asked.
 *
 * @example
 * ```ts
 * serverEntries('mqtt://a', { servers: [() => of('mqtt://b')] }, targetOf); // [fixed a, asked servers[0]]
 * ```
 * @param url the `url` argument, if any.
 * @param options the options, with `servers`.
 * @param targetOf parses a URL and picks its transport.
 * @returns at least one entry.
 * @throws TypeError for no server at all, or a bad URL (a `servers` entry's error names it).
 */
export function serverEntries(
  url: ServerAddress | undefined,
  options: ClientOptions,
  targetOf: (input: string | URL) => ServerTarget,
): ServerEntry[] {
  const addresses: [string, ServerAddress][] = (options.servers ?? []).map((a, i) => [`servers[${i}]`, a]);
  if (url !== undefined) addresses.unshift(['url', url]);
  if (addresses.length === 0) throw new TypeError('connect needs a url, or options.servers with at least one server');
  return addresses.map(([option, address]): ServerEntry => {
    if (typeof address === 'function') return { kind: 'asked', option, ask: address, last: '' };
    try {
      return { kind: 'fixed', target: targetOf(address) };
    } catch (error) {
      if (option === 'url' || !(error instanceof Error)) throw error;
      throw new TypeError(`${option}: ${error.message}`);
    }
  });
}

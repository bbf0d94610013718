import type { Observable } from 'rxjs';
import type { ServerRedirect } from '../protocol/server-redirect.js';
import { redirectUrl } from './redirect-url.js';
import type { ServerTarget } from './server-target.js';

/** One server of the list: known, or a function asked for its URL before each attempt. */
export type ServerEntry =
  | { readonly kind: 'fixed'; readonly target: ServerTarget }
  | {
      readonly kind: 'asked';
      /** The option it came from: `'url'` or `'servers[i]'`. */
      readonly option: string;
      readonly ask: () => Observable<string | URL>;
      /** The server of the URL it gave last, `''` before its first answer. */
      last: string;
    };

/**
 * The servers of a client and which one each connection attempt goes to: the first
 * at the start; after a failure the next one, wrapping around; a redirect's server
 * when the attempt follows one (a permanent one replaces the server that sent it).
 */
export class ServerList {
  private index = 0;

  /**
   * @param entries the servers, in order (at least one).
   * @param target the target of a redirect's URL, inheriting the credentials of the
   *   server that sent it; throws when the URL cannot be used.
   */
  constructor(
    private readonly entries: ServerEntry[],
    private readonly target: (url: URL, from: ServerTarget) => ServerTarget,
  ) {}

  /**
   * The server of a connection attempt.
   *
   * @param attempt the attempt number (1 after a successful connection or at the start).
   * @param redirect the redirect the attempt follows, if any.
   * @param from the target of the previous attempt (the one a redirect came from).
   * @returns the entry to connect to.
   */
  pick(attempt: number, redirect: ServerRedirect | undefined, from: ServerTarget | undefined): ServerEntry {
    if (redirect !== undefined && from !== undefined) {
      const target = this.follow(redirect.reference, from);
      if (target !== undefined) {
        const entry: ServerEntry = { kind: 'fixed', target };
        if (redirect.permanent) this.entries[this.index] = entry;
        return entry;
      }
    }
    if (attempt > 1) this.index = (this.index + 1) % this.entries.length;
    return this.entries[this.index] as ServerEntry;
  }

  /**
   * @param reference a Server Reference.
   * @param from the target of the server that sent it.
   * @returns whether an attempt can follow it (the session backs off instead when not).
   */
  canFollow(reference: string, from: ServerTarget | undefined): boolean {
    return from !== undefined && this.follow(reference, from) !== undefined;
  }

  /** The target of the first entry of `reference` this client can open. */
  private follow(reference: string, from: ServerTarget): ServerTarget | undefined {
    let target: ServerTarget | undefined;
    redirectUrl(reference, from.broker.url, (url) => {
      try {
        target = this.target(url, from);
        return true;
      } catch {
        return false; // a scheme this client cannot open: try the next entry
      }
    });
    return target;
  }
}

import { backoffDelay, type ReconnectPolicy } from './backoff.js';
import { serverRedirect, type ServerRedirect } from './server-redirect.js';

/** Redirects followed at most between two successful connections (a loop then backs off). */
const MAX_REDIRECTS = 5;

/**
 * The connection attempts since the last successful one: how many failed, how long to
 * wait before the next (backoff), and whether it follows a server redirect (MQTT 5
 * §4.11: a Server Reference with 0x9C / 0x9D is followed at once, a bounded number of
 * times; redirects followed do not lengthen the backoff).
 *
 * @example
 * ```ts
 * const attempts = new ReconnectAttempts(true, Math.random);
 * const delay = attempts.failed(error, policy); // 0 for a redirect, else the backoff
 * attempts.take();                              // the redirect the next attempt follows
 * ```
 */
export class ReconnectAttempts {
  private count = 0;
  /** Redirects followed since the last successful connection (they count in `failures`). */
  private redirects = 0;
  /** The redirect the next attempt follows. */
  private redirect: ServerRedirect | undefined;

  /**
   * @param followRedirects whether a Server Reference is followed.
   * @param random numbers in [0, 1) for the backoff jitter.
   * @param canFollow whether the client can connect to a reference (one it cannot is a plain failure).
   */
  constructor(
    private readonly followRedirects: boolean,
    private readonly random: () => number,
    private readonly canFollow: (reference: string) => boolean = () => true,
  ) {}

  /** Failed attempts since the last successful connection. */
  get failures(): number {
    return this.count;
  }

  /**
   * An attempt starts.
   *
   * @returns the redirect it follows, if any (given once).
   */
  take(): ServerRedirect | undefined {
    const redirect = this.redirect;
    this.redirect = undefined;
    return redirect;
  }

  /** A connection was accepted: the count starts over. */
  connected(): void {
    this.count = 0;
  }

  /**
   * An attempt failed, or an accepted connection was lost.
   *
   * @param error why: a redirecting refusal or DISCONNECT names the next server.
   * @param policy the backoff.
   * @returns ms to wait before the next attempt (0 to follow a redirect).
   */
  failed(error: Error, policy: ReconnectPolicy): number {
    if (this.count === 0) this.redirects = 0; // connected since the last redirect
    this.count++;
    const redirect = this.followRedirects ? serverRedirect(error) : undefined;
    if (redirect !== undefined && this.redirects < MAX_REDIRECTS && this.canFollow(redirect.reference)) {
      this.redirects++;
      this.redirect = redirect;
      return 0;
    }
    return backoffDelay(this.count - this.redirects, policy, this.random);
  }
}

/** What the keepalive timer firing asks for: re-arm after `ms`, send PINGREQ, or give up. */
export type KeepaliveStep = number | 'ping' | 'lost';

/**
 * The keepalive of one connection (MQTT-3.1.2-23 in 3.1.1, MQTT-3.1.2-20 in 5): when
 * the client last sent a packet, whether a PINGREQ awaits its PINGRESP, and what the
 * `keepalive` timer should do next. The deadline is the keepalive period after the last
 * packet sent; after a PINGREQ, one more period for the PINGRESP. It decides; the
 * session sends the PINGREQ and arms the timer.
 *
 * @example
 * ```ts
 * const keepalive = new Keepalive();
 * keepalive.connected(10_000, 0); // 10000: arm the timer in 10 s
 * keepalive.sent(4_000);          // a packet went out at 4 s
 * keepalive.fired(10_000);        // 4000: nothing due yet, arm again in 4 s
 * keepalive.fired(14_000);        // 'ping': send PINGREQ, arm in one period (10 s)
 * keepalive.sent(14_000);         // the PINGREQ went out
 * keepalive.pingresp(15_000);     // 9000: the answer came, arm for the next deadline
 * ```
 */
export class Keepalive {
  private lastSent = 0;
  private outstanding = false;
  private ms = 0;

  /** The keepalive period of the connection, ms (0: off). */
  get period(): number {
    return this.ms;
  }

  /**
   * A packet went out.
   *
   * @param now the current time, ms.
   */
  sent(now: number): void {
    this.lastSent = now;
  }

  /**
   * A connection was accepted with this keepalive period.
   *
   * @param period the period in force (the server's Server Keep Alive, or ours), ms; 0: off.
   * @param now the current time, ms.
   * @returns when to fire the timer, ms from now; `undefined` when keepalive is off.
   */
  connected(period: number, now: number): number | undefined {
    this.ms = period;
    this.outstanding = false;
    return period > 0 ? this.delay(now) : undefined;
  }

  /**
   * The timer fired.
   *
   * @param now the current time, ms.
   * @returns `'lost'` when a PINGREQ got no PINGRESP within a period; `'ping'` when
   *   nothing was sent for a period (a PINGREQ is now outstanding: send it, then arm the
   *   timer in one {@link period}); otherwise the ms left until the deadline.
   */
  fired(now: number): KeepaliveStep {
    if (this.outstanding) return 'lost';
    const idle = now - this.lastSent;
    if (idle < this.ms) return this.ms - idle;
    this.outstanding = true;
    return 'ping';
  }

  /**
   * A PINGRESP arrived.
   *
   * @param now the current time, ms.
   * @returns when to fire the timer next, ms from now; `undefined` when no PINGREQ was
   *   outstanding (the PINGRESP is ignored).
   */
  pingresp(now: number): number | undefined {
    if (!this.outstanding) return undefined;
    this.outstanding = false;
    return this.delay(now);
  }

  /** The connection ended: no PINGREQ is outstanding any more. */
  stopped(): void {
    this.outstanding = false;
  }

  private delay(now: number): number {
    return Math.max(0, this.ms - (now - this.lastSent));
  }
}

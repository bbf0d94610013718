/**
 * Where an MQTT 5 enhanced-authentication exchange (4.12) stands on the current
 * connection: the challenge awaiting the application's answer, identified by a token
 * so a late answer to an earlier one is ignored, and whether a re-authentication
 * awaits the server's AUTH 0x00. The session decides what to send; this only remembers.
 *
 * @example
 * ```ts
 * const auth = new AuthExchange();
 * const token = auth.challenged(); // AUTH 0x18 came: give `token` with the challenge
 * auth.answer(token);              // true: send the answer (once)
 * auth.answer(token);              // false: answered already
 * ```
 */
export class AuthExchange {
  /** The token of the latest challenge; bumped per challenge. */
  private token = 0;
  private awaited = false;
  private reauth = false;

  /** Whether a re-authentication (AUTH 0x19) awaits the server's AUTH 0x00. */
  get reauthenticating(): boolean {
    return this.reauth;
  }

  /**
   * A challenge (AUTH 0x18) arrived: it now awaits an answer.
   *
   * @returns its token, for `authAnswer` / `authFailed`.
   */
  challenged(): number {
    this.awaited = true;
    return ++this.token;
  }

  /**
   * The application answers (or fails) the challenge `token`.
   *
   * @param token the challenge's token.
   * @returns `true` when it is the challenge awaiting an answer (it no longer does);
   *   `false` for an earlier challenge, or one answered already.
   */
  answer(token: number): boolean {
    if (!this.awaited || token !== this.token) return false;
    this.awaited = false;
    return true;
  }

  /** The CONNACK ended the first authentication: an unanswered challenge is void. */
  connected(): void {
    this.awaited = false;
  }

  /** AUTH 0x19 went out. */
  reauthenticationStarted(): void {
    this.reauth = true;
  }

  /** The server's AUTH 0x00 ended the re-authentication. */
  reauthenticated(): void {
    this.reauth = false;
    this.awaited = false;
  }

  /**
   * The connection ended: an unanswered challenge is void.
   *
   * @returns whether a re-authentication was running (it fails; it no longer runs).
   */
  ended(): boolean {
    this.awaited = false;
    const running = this.reauth;
    this.reauth = false;
    return running;
  }
}

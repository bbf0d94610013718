/** Exponential backoff between reconnect attempts, in milliseconds. */
export interface ReconnectPolicy {
  /** Delay before the first reconnect attempt. */
  readonly initialDelay: number;
  /** Upper bound of every delay, jitter included. */
  readonly maxDelay: number;
  /** Growth of the delay per failed attempt. */
  readonly factor: number;
  /** Fraction (0–1) by which a delay may be shortened at random. */
  readonly jitter: number;
}

/** The default reconnect policy of API.md. */
export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0.2 };

/**
 * The delay before reconnect attempt number `attempt` (1 = the first after a success
 * or the start): `min(initialDelay · factor^(attempt−1), maxDelay)`, shortened by up
 * to `jitter` of itself at random. The jitter only ever shortens, so the delay never
 * exceeds `maxDelay` and lies in `[base · (1 − jitter), base]`.
 *
 * @example
 * ```ts
 * backoffDelay(3, DEFAULT_RECONNECT, () => 0); // 4000
 * ```
 * @param attempt failed attempts since the last successful connection, from 1.
 * @param policy the backoff parameters.
 * @param random a source of numbers in [0, 1) (injected so tests are deterministic).
 * @returns whole milliseconds.
 */
export function backoffDelay(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const base = Math.min(policy.initialDelay * Math.pow(policy.factor, Math.max(0, attempt - 1)), policy.maxDelay);
  return Math.round(base * (1 - policy.jitter * random()));
}

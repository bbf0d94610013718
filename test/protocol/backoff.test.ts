import fc from 'fast-check';
import { backoffDelay, DEFAULT_RECONNECT } from '../../src/protocol/backoff.js';

describe('backoffDelay', () => {
  const noJitter = { ...DEFAULT_RECONNECT, jitter: 0 };

  it('grows by factor from initialDelay and is capped at maxDelay', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, noJitter, () => 0.9))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('jitter only shortens: within [base·(1−jitter), base], never above maxDelay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r, jitter) => {
          const policy = { ...DEFAULT_RECONNECT, jitter };
          const base = Math.min(1000 * 2 ** (attempt - 1), 30000);
          const d = backoffDelay(attempt, policy, () => r);
          return d <= 30000 && d <= base && d >= Math.floor(base * (1 - jitter));
        },
      ),
    );
  });

  it('uses the injected random source', () => {
    expect(backoffDelay(1, DEFAULT_RECONNECT, () => 0.5)).toBe(900);
  });
});

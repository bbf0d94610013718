import { filter, firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import type { ConnectionState } from '../../src/protocol/connection-state.js';

/**
 * Resolves with the first state of `status` that `state$` shows (the current one
 * counts). Rejects when `state$` completes first or after `ms`, naming the status, so
 * a test never hangs on a client that does not get there.
 *
 * @example
 * ```ts
 * const connected = await waitFor(client.state$, 'connected');
 * expect(connected.sessionPresent).toBe(false);
 * ```
 * @param state$ a client's `state$`.
 * @param status the status to wait for.
 * @param ms how long to wait; default 10 s.
 * @returns the state.
 */
export function waitFor<S extends ConnectionState['status']>(
  state$: Observable<ConnectionState>,
  status: S,
  ms = 10_000,
): Promise<Extract<ConnectionState, { status: S }>> {
  return firstValueFrom(
    state$.pipe(
      filter((state): state is Extract<ConnectionState, { status: S }> => state.status === status),
      timeout({ first: ms, with: () => throwError(() => new Error(`state did not reach '${status}' within ${ms} ms`)) }),
    ),
  );
}

import type { NgZone } from '@angular/core';
import { Observable } from 'rxjs';

/**
 * Subscribes to (and unsubscribes from) the Observable `source()` makes outside the
 * Angular zone, and delivers its notifications inside it. The client's sockets and
 * timers (keepalive, reconnect backoff) then never keep zone.js busy, so the
 * application still becomes stable (SSR, hydration, `whenStable()`), while subscribers
 * run in the zone and trigger change detection as every other event does. Without
 * zone.js (`NoopNgZone`), both are plain calls.
 *
 * @param zone the application's zone.
 * @param source makes the Observable; called outside the zone, once per subscription.
 * @returns the Observable, zone-aware.
 */
export function outsideZone<T>(zone: NgZone, source: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const subscription = zone.runOutsideAngular(() =>
      source().subscribe({
        next: (value) => zone.run(() => subscriber.next(value)),
        error: (error: unknown) => zone.run(() => subscriber.error(error)),
        complete: () => zone.run(() => subscriber.complete()),
      }),
    );
    return () => zone.runOutsideAngular(() => subscription.unsubscribe());
  });
}

import { Observable, type Subscription } from 'rxjs';
import type { Duplex, Transport } from '../../src/transport/transport.js';

/** An opened connection, and the subscription that keeps it open. */
export interface Opened {
  readonly duplex: Duplex;
  readonly subscription: Subscription;
}

/**
 * Subscribes to `transport(url)` and resolves with the Duplex, keeping the subscription
 * (unsubscribing would close the connection, so `firstValueFrom` will not do).
 */
export function openDuplex(transport: Transport, url: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    let duplex: Duplex | undefined;
    const subscription = transport(new URL(url)).subscribe({
      next: (value) => {
        duplex = value;
      },
      error: reject,
    });
    // next may come synchronously (before `subscription` exists): resolve after subscribe returns.
    const check = (): void => {
      if (duplex !== undefined) resolve({ duplex, subscription });
      else if (!subscription.closed) setImmediate(check);
    };
    check();
  });
}

/** Resolves with the error `transport(url)` fails with. */
export function openError(transport: Transport, url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    transport(new URL(url)).subscribe({
      next: () => reject(new Error('the transport opened')),
      error: resolve,
    });
  });
}

/** What `incoming` delivered until it ended. */
export interface Received {
  readonly bytes: number[];
  readonly chunks: Uint8Array[];
  readonly end: { complete: true } | { error: unknown };
}

/** Collects `incoming` until it completes or errors. */
export function collect(incoming: Observable<Uint8Array>): Promise<Received> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    const done = (end: Received['end']): void => resolve({ bytes: chunks.flatMap((c) => [...c]), chunks, end });
    incoming.subscribe({
      next: (chunk) => chunks.push(chunk),
      complete: () => done({ complete: true }),
      error: (error: unknown) => done({ error }),
    });
  });
}

/** Resolves with the first `count` bytes `incoming` delivers (keeps the subscription open). */
export function firstBytes(incoming: Observable<Uint8Array>, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const bytes: number[] = [];
    const subscription = incoming.subscribe({
      next: (chunk) => {
        bytes.push(...chunk);
        if (bytes.length >= count) {
          resolve(bytes.slice(0, count));
          queueMicrotask(() => subscription.unsubscribe());
        }
      },
      error: reject,
      complete: () => reject(new Error(`completed after ${bytes.length} bytes`)),
    });
  });
}

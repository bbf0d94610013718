/**
 * Bench-only experiment: wraps a Transport so that every `send` of one tick is
 * coalesced into a single write on process.nextTick (what MQTT.js gets from
 * mqtt-packet's cork/uncork). Used by the `--rx-batch` variant to measure what
 * per-packet socket writes cost rx-mqtt.
 */
import { map } from 'rxjs';
import type { Duplex, Transport } from '../../src/index.js';

/**
 * Coalesces the sends of one tick into one.
 * @param inner the transport to wrap (e.g. `tcp()`)
 * @returns the wrapping transport
 */
export function batchingTransport(inner: Transport): Transport {
  return (url) => inner(url).pipe(map((duplex): Duplex => {
    let pending: Uint8Array[] = [];
    const flush = (): void => {
      const chunks = pending;
      pending = [];
      duplex.send(chunks.length === 1 ? chunks[0] as Uint8Array : Buffer.concat(chunks));
    };
    return {
      incoming: duplex.incoming,
      send(bytes) {
        if (pending.length === 0) process.nextTick(flush);
        pending.push(bytes);
      },
      close() {
        if (pending.length > 0) flush();
        duplex.close();
      },
    };
  }));
}

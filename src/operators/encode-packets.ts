import { Observable, type OperatorFunction } from 'rxjs';
import { encode } from '../packets/encode.js';
import type { Packet, ProtocolVersion } from '../packets/packet.js';

/**
 * Encodes packet objects into their bytes, one `Uint8Array` per packet. A packet
 * that cannot be encoded (a field out of range for `version`) fails the stream with
 * the error of `encode`, and the source is unsubscribed.
 *
 * @example
 * ```ts
 * of<Packet>({ cmd: 'pingreq' }).pipe(encodePackets(4)).subscribe((bytes) => duplex.send(bytes));
 * ```
 * @param version the protocol version the connection speaks.
 * @returns an operator from packets to bytes.
 */
export function encodePackets(version: ProtocolVersion): OperatorFunction<Packet, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) =>
      source.subscribe({
        next(packet) {
          let bytes: Uint8Array;
          try {
            bytes = encode(packet, version);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          subscriber.next(bytes);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

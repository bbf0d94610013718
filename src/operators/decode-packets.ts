import { Observable, type OperatorFunction } from 'rxjs';
import { decode } from '../packets/decode.js';
import type { Packet, ProtocolVersion } from '../packets/packet.js';

/**
 * Decodes whole-packet frames (as {@link frame} emits them) into packet objects.
 * A malformed packet fails the stream with the `MqttProtocolError` of `decode`, and
 * the source is unsubscribed.
 *
 * @example
 * ```ts
 * duplex.incoming.pipe(frame(), decodePackets(4)).subscribe((packet) => console.log(packet.cmd));
 * ```
 * @param version the protocol version the connection speaks.
 * @returns an operator from frames to packets.
 */
export function decodePackets(version: ProtocolVersion): OperatorFunction<Uint8Array, Packet> {
  return (source) =>
    new Observable<Packet>((subscriber) =>
      source.subscribe({
        next(bytes) {
          let packet: Packet;
          try {
            packet = decode(bytes, version);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          subscriber.next(packet);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

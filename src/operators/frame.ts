import { Observable, type OperatorFunction } from 'rxjs';
import { MALFORMED_PACKET, MqttProtocolError } from '../packets/errors.js';
import { Framer } from '../packets/framer.js';

/**
 * Cuts a stream of byte chunks into whole MQTT packets, whatever the chunk
 * boundaries: one chunk may hold many packets, one packet may span many chunks.
 * Each subscription has its own buffer.
 *
 * Fails with {@link MqttProtocolError} on a malformed fixed header (0x81), on a
 * packet over `maxPacketSize` (0x95, detected from the fixed header before the body
 * is buffered), and when the source completes in the middle of a packet (0x81).
 *
 * @example
 * ```ts
 * duplex.incoming.pipe(frame(), decodePackets(5)).subscribe((packet) => console.log(packet.cmd));
 * ```
 * @param maxPacketSize the largest packet accepted, in bytes (fixed header included);
 *   the Framer's default (the protocol's limit) when omitted.
 * @returns an operator from byte chunks to single-packet frames.
 */
export function frame(maxPacketSize?: number): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      const framer = new Framer(maxPacketSize);
      return source.subscribe({
        next(chunk) {
          let frames: Uint8Array[];
          try {
            frames = framer.push(chunk);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          for (const f of frames) subscriber.next(f);
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          if (framer.buffered > 0) {
            subscriber.error(
              new MqttProtocolError(
                `connection ended inside a packet: a truncated frame of ${framer.buffered} bytes was pending`,
                MALFORMED_PACKET,
              ),
            );
          } else subscriber.complete();
        },
      });
    });
}

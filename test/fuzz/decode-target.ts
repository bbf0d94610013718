/**
 * The coverage-guided fuzz target for the codec (`npm run fuzz:decode`, see
 * docs/reliability.md § Fuzzing). jsfuzz calls {@link fuzz} with each input it makes;
 * an exception escaping it is a finding (jsfuzz writes the input to `crash-<sha256>`).
 *
 * Input layout: byte 0 chooses the protocol version (`byte % 3` → 3, 4, 5) and where the
 * Framer's stream is cut in two (`byte / 3`); the rest is the frame / byte stream.
 *
 * Oracle: `decode` and `Framer` may only return, or throw `MqttProtocolError`; a packet
 * `decode` accepts must encode, and decode again to the same packet.
 */
import { isDeepStrictEqual } from 'node:util';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import { Framer } from '../../src/packets/framer.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';

const VERSIONS: readonly ProtocolVersion[] = [3, 4, 5];
/** The Framer's limit, as a client would set it: under the protocol's 256 MiB a fuzzed length makes it allocate for nothing. */
const MAX_PACKET_SIZE = 1 << 20;

/** A broken promise of the codec, with the input that showed it. */
export class FuzzFinding extends Error {
  override readonly name = 'FuzzFinding';
}

/**
 * Runs one fuzz input through `decode` and the `Framer`.
 *
 * @param data the input: version/cut byte, then the bytes.
 * @throws FuzzFinding (or the unexpected exception itself, wrapped) when the codec breaks its contract.
 */
export function fuzz(data: Uint8Array): void {
  if (data.length === 0) return;
  const selector = data[0] as number;
  const version = VERSIONS[selector % 3] as ProtocolVersion;
  // jsfuzz passes a Buffer: decode as the client does, from a plain Uint8Array.
  const bytes = Uint8Array.from(data.subarray(1));
  checkDecode(bytes, version);
  checkFramer(bytes, Math.floor(selector / 3) % (bytes.length + 1), version);
}

/** Runs `fn`, which may only return or throw MqttProtocolError (then `undefined`). */
function allowed<T>(what: string, bytes: Uint8Array, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof MqttProtocolError) return undefined;
    const e = error instanceof Error ? error : new Error(String(error));
    throw new FuzzFinding(`${what} threw ${e.name}: ${e.message} on ${hex(bytes)}\n${e.stack ?? ''}`);
  }
}

/** decode throws MqttProtocolError, or gives a packet that encodes and decodes back to itself. */
function checkDecode(frame: Uint8Array, version: ProtocolVersion): void {
  const packet = allowed('decode', frame, () => decode(frame, version));
  if (packet === undefined) return;
  // A CONNECT is decoded by the level it carries, whatever `version` says.
  const v = packet.cmd === 'connect' ? packet.protocolVersion : version;
  let again: Packet;
  try {
    again = decode(encode(packet, v), v);
  } catch (error) {
    throw new FuzzFinding(`decode accepted ${hex(frame)} but re-encoding failed: ${String(error)}`);
  }
  if (!isDeepStrictEqual(again, packet)) {
    throw new FuzzFinding(`decode(encode(decode(${hex(frame)}))) differs: ${show(again)} vs ${show(packet)}`);
  }
}

/** The bytes as a stream in two chunks cut at `cut`: frames or MqttProtocolError, and each frame checked. */
function checkFramer(stream: Uint8Array, cut: number, version: ProtocolVersion): void {
  const framer = new Framer(MAX_PACKET_SIZE);
  for (const chunk of [stream.subarray(0, cut), stream.subarray(cut)]) {
    const frames = allowed('Framer.push', stream, () => framer.push(chunk));
    if (frames === undefined) {
      // After an error the framer stays failed: it must throw the same kind again.
      if (allowed('Framer.push after an error', stream, () => framer.push(Uint8Array.of(0xc0, 0))) !== undefined) {
        throw new FuzzFinding(`Framer.push worked again after an error on ${hex(stream)}`);
      }
      return;
    }
    for (const frame of frames) checkDecode(frame, version);
  }
}

function hex(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 256), (b) => b.toString(16).padStart(2, '0')).join('');
  return bytes.length > 256 ? `${shown}…` : shown;
}

function show(packet: Packet): string {
  return JSON.stringify(packet, (_key, value: unknown) => (value instanceof Uint8Array ? `bytes:${hex(value)}` : value));
}

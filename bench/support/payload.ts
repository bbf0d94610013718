/**
 * Benchmark payload layout, the same for every client:
 * bytes 0–7 send time (float64 LE, `performance.now()` ms), 8–11 sequence number
 * (uint32 LE), 12–15 run id (uint32 LE; 0 marks a readiness probe), the rest filler.
 */

/** Smallest payload that holds the stamp. */
export const STAMP_BYTES = 16;

/** Run id carried by readiness probes. */
export const PROBE_RUN = 0;

const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

/**
 * Writes send time (now), sequence number and run id into `bytes` at `offset`.
 * @param bytes buffer holding the payload (a whole frame for the raw client)
 * @param offset where the payload starts in `bytes`
 * @param seq message sequence number within the run
 * @param run run id
 */
export function stamp(bytes: Uint8Array, offset: number, seq: number, run: number): void {
  scratch[0] = performance.now();
  bytes.set(scratchBytes, offset);
  writeU32(bytes, offset + 8, seq);
  writeU32(bytes, offset + 12, run);
}

/**
 * A fresh payload of `size` bytes, stamped now.
 * @param size payload size in bytes (at least {@link STAMP_BYTES})
 * @param seq sequence number
 * @param run run id
 * @returns the payload
 */
export function stampedPayload(size: number, seq: number, run: number): Buffer {
  const payload = Buffer.allocUnsafe(size);
  stamp(payload, 0, seq, run);
  return payload;
}

/**
 * Send time of a stamped payload.
 * @param bytes buffer holding the payload
 * @param offset where the payload starts
 * @returns `performance.now()` at the time of stamping
 */
export function sentAt(bytes: Uint8Array, offset: number): number {
  for (let i = 0; i < 8; i++) scratchBytes[i] = bytes[offset + i] as number;
  return scratch[0] as number;
}

/**
 * Reads a little-endian uint32.
 * @param bytes source
 * @param offset position
 * @returns the value
 */
export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) |
    ((bytes[offset + 2] as number) << 16) | ((bytes[offset + 3] as number) << 24)) >>> 0;
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

let publishErrors = 0;

/**
 * Notes a failed publish on stderr (the first few only); the run carries on and the
 * message simply never arrives.
 * @param error what the client reported
 */
export function reportPublishError(error: unknown): void {
  if (++publishErrors <= 5) process.stderr.write(`  publish failed: ${error instanceof Error ? error.message : String(error)}\n`);
}

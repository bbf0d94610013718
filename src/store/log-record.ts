import { decode } from '../packets/decode.js';
import { encode } from '../packets/encode.js';
import type { Packet, PublishPacket } from '../packets/packet.js';
import { crc32 } from './crc32.js';
import { encodeQueued, queueNumber } from './stored-values.js';
import { errorMessage } from '../packets/error-message.js';

/** One change to a session store, as the file store's log records it. */
export type LogRecord =
  | { readonly type: 'putOutgoing'; readonly packet: PublishPacket }
  | { readonly type: 'putQueued'; readonly seq: number; readonly packet: PublishPacket }
  /** The queued PUBLISH `seq` was sent as `messageId`: it leaves the queue for the in-flight table. */
  | { readonly type: 'sendQueued'; readonly seq: number; readonly messageId: number }
  | { readonly type: 'deleteQueued'; readonly seq: number }
  | {
      readonly type: 'releaseOutgoing' | 'deleteOutgoing' | 'putIncoming' | 'deleteIncoming';
      readonly messageId: number;
    }
  | { readonly type: 'clearIncoming' };

/** The first bytes of a log file: "RXMQSL", then the format version 0x0001. */
export const LOG_MAGIC = Uint8Array.of(0x52, 0x58, 0x4d, 0x51, 0x53, 0x4c, 0x00, 0x01);

/** Bytes before a record's body: length (u32 BE, of type + body) and CRC-32 of type + body (u32 BE). */
const FRAME_HEADER = 8;
/** A body is at most a whole PUBLISH (fixed header 5 + the largest remaining length) plus the type byte. */
const MAX_RECORD = 1 + 5 + 268435455;

const TYPE_CODES = {
  putOutgoing: 1,
  releaseOutgoing: 2,
  deleteOutgoing: 3,
  putIncoming: 4,
  deleteIncoming: 5,
  clearIncoming: 6,
  putQueued: 7,
  deleteQueued: 8,
  sendQueued: 9,
} as const;

/** Bytes of a queue number: u64 BE (a safe integer). */
const SEQ = 8;

/**
 * The bytes of one record: `length (u32 BE) | crc32 (u32 BE) | type (u8) | body`, where
 * the body is the PUBLISH encoded as MQTT 5 (properties included) for `putOutgoing`,
 * the queue number (u64 BE) then the PUBLISH for `putQueued` (encoded with a placeholder
 * packet identifier), the queue number for `deleteQueued`, the queue number then the
 * packet identifier for `sendQueued` (the payload is not written twice), the packet
 * identifier (u16 BE) for the identifier records, and nothing for `clearIncoming`. The length and checksum let a reader find where a
 * torn write ends.
 *
 * @param record the change.
 * @returns the framed record, ready to append.
 * @throws MqttProtocolError when the packet cannot be encoded.
 */
export function encodeRecord(record: LogRecord): Uint8Array {
  const code = TYPE_CODES[record.type];
  let out: Uint8Array;
  if (record.type === 'putOutgoing') {
    const packet = encode(record.packet, 5);
    out = new Uint8Array(FRAME_HEADER + 1 + packet.length);
    out.set(packet, FRAME_HEADER + 1);
  } else if (record.type === 'putQueued') {
    const packet = encodeQueued(record.packet);
    out = new Uint8Array(FRAME_HEADER + 1 + SEQ + packet.length);
    writeSeq(out, FRAME_HEADER + 1, record.seq);
    out.set(packet, FRAME_HEADER + 1 + SEQ);
  } else if (record.type === 'deleteQueued') {
    out = new Uint8Array(FRAME_HEADER + 1 + SEQ);
    writeSeq(out, FRAME_HEADER + 1, record.seq);
  } else if (record.type === 'sendQueued') {
    out = new Uint8Array(FRAME_HEADER + 1 + SEQ + 2);
    writeSeq(out, FRAME_HEADER + 1, record.seq);
    out[FRAME_HEADER + 1 + SEQ] = record.messageId >> 8;
    out[FRAME_HEADER + 2 + SEQ] = record.messageId & 0xff;
  } else if (record.type === 'clearIncoming') {
    out = new Uint8Array(FRAME_HEADER + 1);
  } else {
    out = new Uint8Array(FRAME_HEADER + 3);
    out[FRAME_HEADER + 1] = record.messageId >> 8;
    out[FRAME_HEADER + 2] = record.messageId & 0xff;
  }
  out[FRAME_HEADER] = code;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, out.length - FRAME_HEADER);
  view.setUint32(4, crc32(out.subarray(FRAME_HEADER)));
  return out;
}

/** What {@link decodeRecords} found. */
export interface DecodedLog {
  readonly records: LogRecord[];
  /** Offset just past the last whole, intact record: where a torn or corrupt tail starts. */
  readonly end: number;
}

/**
 * Reads the records of a log from `start` until the bytes end or stop making sense: a
 * record cut short, a length out of range or a checksum that does not match ends the
 * log there (a write torn by a crash), and what follows is ignored.
 *
 * @param bytes the log file.
 * @param start the offset of the first record (after the magic).
 * @returns the intact records, in order, and where they end.
 * @throws Error when a record passes its checksum but cannot be decoded (not a torn write:
 *   a log written by another program or format).
 */
export function decodeRecords(bytes: Uint8Array, start: number): DecodedLog {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: LogRecord[] = [];
  let pos = start;
  while (bytes.length - pos >= FRAME_HEADER) {
    const length = view.getUint32(pos);
    const bodyStart = pos + FRAME_HEADER;
    if (length < 1 || length > MAX_RECORD || length > bytes.length - bodyStart) break;
    const body = bytes.subarray(bodyStart, bodyStart + length);
    if (crc32(body) !== view.getUint32(pos + 4)) break;
    records.push(decodeBody(body, pos));
    pos = bodyStart + length;
  }
  return { records, end: pos };
}

const ID_RECORDS: Readonly<Record<number, 'releaseOutgoing' | 'deleteOutgoing' | 'putIncoming' | 'deleteIncoming'>> = {
  [TYPE_CODES.releaseOutgoing]: 'releaseOutgoing',
  [TYPE_CODES.deleteOutgoing]: 'deleteOutgoing',
  [TYPE_CODES.putIncoming]: 'putIncoming',
  [TYPE_CODES.deleteIncoming]: 'deleteIncoming',
};

function decodeBody(body: Uint8Array, offset: number): LogRecord {
  const code = body[0];
  const fail = (why: string): Error => new Error(`corrupt session log: record at byte ${offset}: ${why}`);
  const publish = (start: number): PublishPacket => {
    let packet: Packet;
    try {
      // A copy: the packet's payload must not pin the whole file in memory.
      packet = decode(body.slice(start), 5);
    } catch (error) {
      throw fail(errorMessage(error));
    }
    if (packet.cmd !== 'publish' || packet.messageId === undefined) throw fail(`a ${packet.cmd} is not a stored PUBLISH`);
    return packet;
  };
  if (code === TYPE_CODES.putOutgoing) return { type: 'putOutgoing', packet: publish(1) };
  if (code === TYPE_CODES.putQueued) {
    if (body.length < 1 + SEQ) throw fail(`a putQueued record of ${body.length} bytes`);
    const packet = publish(1 + SEQ);
    delete packet.messageId; // the placeholder
    return { type: 'putQueued', seq: readSeq(body, 1), packet };
  }
  if (code === TYPE_CODES.sendQueued) {
    if (body.length !== 1 + SEQ + 2) throw fail(`a sendQueued record of ${body.length} bytes`);
    return { type: 'sendQueued', seq: readSeq(body, 1), messageId: (body[1 + SEQ]! << 8) | body[2 + SEQ]! };
  }
  if (code === TYPE_CODES.deleteQueued) {
    if (body.length !== 1 + SEQ) throw fail(`a deleteQueued record of ${body.length} bytes`);
    return { type: 'deleteQueued', seq: readSeq(body, 1) };
  }
  if (code === TYPE_CODES.clearIncoming && body.length === 1) return { type: 'clearIncoming' };
  const type = ID_RECORDS[code ?? 0];
  if (type === undefined || body.length !== 3) throw fail(`unknown record type ${String(code)} of ${body.length} bytes`);
  return { type, messageId: (body[1]! << 8) | body[2]! };
}

/** Writes a queue number (a non-negative safe integer) as u64 BE. */
function writeSeq(out: Uint8Array, at: number, seq: number): void {
  queueNumber(seq);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, Math.floor(seq / 0x100000000));
  view.setUint32(at + 4, seq >>> 0);
}

function readSeq(body: Uint8Array, at: number): number {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return view.getUint32(at) * 0x100000000 + view.getUint32(at + 4);
}

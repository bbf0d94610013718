import type { PublishPacket } from '../../src/packets/packet.js';
import { crc32 } from '../../src/store/crc32.js';
import { decodeRecords, encodeRecord, LOG_MAGIC, type LogRecord } from '../../src/store/log-record.js';

const packet: PublishPacket = {
  cmd: 'publish',
  topic: 'a/b',
  payload: Uint8Array.of(0, 1, 2, 0xff),
  qos: 2,
  dup: false,
  retain: true,
  messageId: 513,
  properties: { userProperties: { k: 'v' } },
};

const RECORDS: LogRecord[] = [
  { type: 'putOutgoing', packet },
  { type: 'releaseOutgoing', messageId: 513 },
  { type: 'deleteOutgoing', messageId: 65535 },
  { type: 'putIncoming', messageId: 1 },
  { type: 'deleteIncoming', messageId: 256 },
  { type: 'clearIncoming' },
];

const bigEndian = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('log records', () => {
  const encoded = RECORDS.map(encodeRecord);
  const log = concat([LOG_MAGIC, ...encoded]);
  const ends = encoded.map((_, i) => LOG_MAGIC.length + encoded.slice(0, i + 1).reduce((n, r) => n + r.length, 0));

  it('frames each record as length | crc32 | type | body', () => {
    expect(Array.from(encodeRecord({ type: 'putIncoming', messageId: 0x0102 }))).toEqual([
      0, 0, 0, 3, // length of type + body
      ...bigEndian(crc32(Uint8Array.of(4, 0x01, 0x02))), // crc32 of type + body
      4, // putIncoming
      0x01, 0x02, // packet identifier
    ]);
    expect(encodeRecord({ type: 'clearIncoming' })).toHaveLength(9);
  });

  it('reads back every record type', () => {
    expect(decodeRecords(log, LOG_MAGIC.length)).toEqual({ records: RECORDS, end: log.length });
  });

  it('reads exactly the whole records before a cut at any byte', () => {
    for (let cut = LOG_MAGIC.length; cut <= log.length; cut++) {
      const whole = ends.filter((end) => end <= cut).length;
      const decoded = decodeRecords(log.subarray(0, cut), LOG_MAGIC.length);
      expect(decoded.records).toEqual(RECORDS.slice(0, whole));
      expect(decoded.end).toBe(whole === 0 ? LOG_MAGIC.length : ends[whole - 1]);
    }
  });

  it('stops at the first record any flipped bit damages', () => {
    for (let at = LOG_MAGIC.length; at < log.length; at += 3) {
      const bad = Uint8Array.from(log);
      bad[at] ^= 1 << at % 8;
      const damaged = ends.findIndex((end) => at < end);
      expect(decodeRecords(bad, LOG_MAGIC.length).records).toEqual(RECORDS.slice(0, damaged));
    }
  });

  it('stores a copy of the payload, not a view of the whole file', () => {
    const [first] = decodeRecords(log, LOG_MAGIC.length).records;
    const payload = first?.type === 'putOutgoing' ? first.packet.payload : undefined;
    expect(payload?.buffer).not.toBe(log.buffer);
    expect(payload?.buffer.byteLength).toBeLessThan(log.length);
  });
});

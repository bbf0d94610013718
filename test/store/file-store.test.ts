import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishPacket } from '../../src/packets/packet.js';
import { crc32 } from '../../src/store/crc32.js';
import { fileStore, type FileStore, type FileStoreOptions } from '../../src/store/file-store.js';
import { encodeRecord, LOG_MAGIC } from '../../src/store/log-record.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { sessionSnapshot } from './session-snapshot.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function publish(messageId: number, qos: 1 | 2 = 1, extra: Partial<PublishPacket> = {}): PublishPacket {
  return { cmd: 'publish', topic: `t/${messageId}`, payload: bytes(`m${messageId}`), qos, dup: false, retain: false, messageId, ...extra };
}

/** A store operation, applied alike to a file store and to the memory-store model. */
type Op = (store: SessionStore) => void;

const OPS: Op[] = [
  (s) => s.putOutgoing(publish(1, 1)),
  (s) => s.putOutgoing(publish(2, 2, { retain: true, payload: Uint8Array.from({ length: 40 }, (_, i) => i * 7) })),
  (s) => s.putIncoming(9),
  (s) => s.releaseOutgoing(2),
  (s) => s.putOutgoing(publish(3, 2, { properties: { contentType: 'text/plain', correlationData: bytes('c'), userProperties: { a: ['1', '2'] } } })),
  (s) => s.deleteOutgoing(1),
  (s) => s.putIncoming(10),
  (s) => s.deleteIncoming(9),
  (s) => s.putOutgoing(publish(2, 2)), // sent again as new: back before PUBREC
  (s) => s.putIncoming(11),
  (s) => s.clearIncoming(),
  (s) => s.putIncoming(12),
  // The offline queue: queued (no packet identifier), sent (leaves the queue in the same record), cancelled.
  (s) => s.putQueued(1, queued(1, { properties: { messageExpiryInterval: 9 } })),
  (s) => s.putQueued(2, queued(2)),
  (s) => s.putQueued(2 ** 40 + 3, queued(2, { retain: true })), // past 32 bits
  (s) => s.putOutgoing(publish(4, 1, { topic: 'q/1', payload: bytes('q1'), properties: { messageExpiryInterval: 9 } }), 1),
  (s) => s.deleteQueued(2),
];

/** A PUBLISH waiting in the offline queue: no packet identifier yet. */
function queued(n: number, extra: Partial<PublishPacket> = {}): PublishPacket {
  return { cmd: 'publish', topic: `q/${n}`, payload: bytes(`q${n}`), qos: n % 2 === 0 ? 2 : 1, dup: false, retain: false, ...extra };
}

/** The model's state after the first `n` operations. */
function modelAfter(n: number): unknown {
  const model = memoryStore();
  for (const op of OPS.slice(0, n)) op(model);
  return sessionSnapshot(model.load());
}

describe('fileStore', () => {
  let dir: string;
  const open: FileStore[] = [];
  const store = (options: FileStoreOptions = { fsync: false }, where = dir): FileStore => {
    const s = fileStore(where, options);
    open.push(s);
    return s;
  };
  const reopen = (s: FileStore, options?: FileStoreOptions): FileStore => {
    s.close();
    return store(options);
  };
  const log = (): string => join(dir, 'session.log');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-store-'));
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('round trips', () => {
    it('starts empty, creating missing directories, and holds only the log and the lock', () => {
      const nested = join(dir, 'a', 'b');
      const s = store({ fsync: false }, nested);
      expect(s.load()).toEqual({ outgoing: [], incoming: [], queued: [] });
      s.close();
      expect(readFileSync(join(nested, 'session.log'))).toEqual(Buffer.from(LOG_MAGIC));
      expect(existsSync(join(nested, 'lock'))).toBe(false);
    });

    it('gives back, after a reopen, what the memory store holds after the same operations, in first-sent order', () => {
      let s = store();
      OPS.forEach((op, i) => {
        op(s);
        expect(sessionSnapshot(s.load())).toEqual(modelAfter(i + 1));
        s = reopen(s);
        expect(sessionSnapshot(s.load())).toEqual(modelAfter(i + 1));
      });
    });

    it('keeps payload bytes, retain, QoS and MQTT 5 properties exactly', () => {
      const packet = publish(7, 2, {
        retain: true,
        payload: Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) & 0xff),
        properties: { messageExpiryInterval: 60, responseTopic: 'r/1', payloadFormatIndicator: true, userProperties: { k: 'v' } },
      });
      const first = store();
      first.putOutgoing(packet);
      const [stored] = reopen(first).load().outgoing;
      expect(stored?.released).toBe(false);
      expect(sessionSnapshot({ outgoing: [stored!], incoming: [], queued: [] })).toEqual(sessionSnapshot({ outgoing: [{ packet, released: false }], incoming: [], queued: [] }));
      expect(stored?.packet.payload).toBeInstanceOf(Uint8Array);
    });

    it('syncs by default (fsync: true) and still round-trips', () => {
      let s = store({});
      s.putOutgoing(publish(1, 2));
      s.releaseOutgoing(1);
      s = reopen(s, {});
      expect(s.load().outgoing).toEqual([{ packet: publish(1, 2), released: true }]);
    });

    it('putOutgoing again resets the PUBREL phase (the memory store agrees)', () => {
      for (const s of [memoryStore(), store()]) {
        s.putOutgoing(publish(4, 2));
        s.releaseOutgoing(4);
        s.putOutgoing(publish(4, 2));
        expect(s.load().outgoing).toEqual([{ packet: publish(4, 2), released: false }]);
      }
    });
  });

  describe('torn and corrupt logs', () => {
    /** The log after every operation, and the offsets where each record ends. */
    function writeLog(): { file: Uint8Array; ends: number[] } {
      const s = store();
      const ends: number[] = [];
      for (const op of OPS) {
        op(s);
        ends.push(statSync(log()).size);
      }
      s.close();
      return { file: readFileSync(log()), ends };
    }

    it('ignores a torn record (cut in its header, in its body, or just before its end): the state is that of the whole records before it', () => {
      const { file, ends } = writeLog();
      const models = OPS.map((_, n) => modelAfter(n)).concat([modelAfter(OPS.length)]);
      const cuts = new Set([LOG_MAGIC.length, file.length]);
      for (const end of ends) for (const delta of [-1, 1, 4, 9, 10]) cuts.add(Math.min(end + delta, file.length));
      for (const cut of cuts) {
        writeFileSync(log(), file.subarray(0, cut));
        const s = store();
        expect(sessionSnapshot(s.load())).toEqual(models[ends.filter((end) => end <= cut).length]);
        s.close();
      }
    });

    it('cuts the torn tail off, so what is appended after a crash is read back', () => {
      const { file, ends } = writeLog();
      writeFileSync(log(), file.subarray(0, ends[3]! + 5)); // a crash 5 bytes into the 5th record
      let s = store();
      s.putIncoming(77);
      s = reopen(s);
      const model = memoryStore();
      for (const op of OPS.slice(0, 4)) op(model);
      model.putIncoming(77);
      expect(sessionSnapshot(s.load())).toEqual(sessionSnapshot(model.load()));
    });

    it('stops at a record whose checksum fails (a flipped bit), keeping what precedes it', () => {
      const { file, ends } = writeLog();
      const bad = Uint8Array.from(file);
      bad[ends[5]! + 9] ^= 0x10; // the type byte of the 7th record
      writeFileSync(log(), bad);
      expect(sessionSnapshot(store().load())).toEqual(modelAfter(6));
    });

    it('stops at a length that runs past the end of the file', () => {
      const { file, ends } = writeLog();
      const bad = Uint8Array.from(file);
      new DataView(bad.buffer).setUint32(ends[1]!, 0x7fffffff);
      writeFileSync(log(), bad);
      expect(sessionSnapshot(store().load())).toEqual(modelAfter(2));
    });

    it('refuses a file that is not a session log, and a record that passes its checksum but cannot be decoded', () => {
      writeFileSync(log(), 'not a log at all');
      expect(() => fileStore(dir)).toThrow(/is not an rx-mqtt session log/);
      const junk = encodeRecord({ type: 'putIncoming', messageId: 1 });
      junk[8] = 0x2a; // an unknown record type …
      const view = new DataView(junk.buffer);
      view.setUint32(4, crc32(junk.subarray(8))); // … with a valid checksum
      writeFileSync(log(), Buffer.concat([LOG_MAGIC, junk]));
      expect(() => fileStore(dir)).toThrow(/corrupt session log: record at byte 8: unknown record type 42/);
      // Refusing released the lock: the directory can be opened once the file is gone.
      rmSync(log());
      expect(store().load()).toEqual({ outgoing: [], incoming: [], queued: [] });
    });

    it('ignores a temporary file left by a compaction the process did not finish', () => {
      let s = store();
      OPS.slice(0, 5).forEach((op) => op(s));
      s.close();
      writeFileSync(`${log()}.tmp`, 'half a snapshot');
      s = store();
      expect(sessionSnapshot(s.load())).toEqual(modelAfter(5));
    });
  });

  describe('the offline queue', () => {
    it('sending a queued message appends a small record, not the payload again, and reloads as the queued PUBLISH with its packet identifier', () => {
      const first = store();
      const big = queued(1, { payload: new Uint8Array(10_000).fill(7) });
      first.putQueued(5, big);
      const before = statSync(log()).size;
      first.putOutgoing({ ...big, messageId: 300 }, 5);
      expect(statSync(log()).size - before).toBe(8 + 1 + 8 + 2); // frame, type, queue number, packet id
      const again = reopen(first);
      expect(sessionSnapshot(again.load())).toEqual(sessionSnapshot({ outgoing: [{ packet: { ...big, messageId: 300 }, released: false }], incoming: [], queued: [] }));
    });

    it('loads queued messages by queue number, without packet identifier, after a compaction too', () => {
      const first = store({ fsync: false, compactAt: 64 });
      for (const seq of [3, 1, 2 ** 40]) first.putQueued(seq, queued(seq % 7));
      first.deleteQueued(1);
      const again = reopen(first, { fsync: false, compactAt: 64 });
      expect(again.load().queued.map(({ seq, packet }) => [seq, packet.topic, 'messageId' in packet])).toEqual([
        [3, 'q/3', false],
        [2 ** 40, `q/${2 ** 40 % 7}`, false],
      ]);
    });
  });

  describe('compaction', () => {
    it('keeps the log near the live state however many flows pass through it', () => {
      const s = store({ fsync: false, compactAt: 4096 });
      s.putOutgoing(publish(65535, 2)); // one long-lived flow
      for (let i = 0; i < 2000; i++) {
        const id = (i % 500) + 1;
        s.putOutgoing(publish(id, 2));
        s.releaseOutgoing(id);
        s.putIncoming(id);
        s.deleteIncoming(id);
        s.deleteOutgoing(id);
        expect(statSync(log()).size).toBeLessThanOrEqual(4096 + 200);
      }
      const again = reopen(s);
      expect(again.load()).toEqual({ outgoing: [{ packet: publish(65535, 2), released: false }], incoming: [], queued: [] });
      expect(statSync(log()).size).toBeLessThan(100);
    });

    it('rewrites when the log doubles once the live state itself is past compactAt', () => {
      const s = store({ fsync: false, compactAt: 1000 });
      const big = { payload: new Uint8Array(600) };
      for (let id = 1; id <= 4; id++) s.putOutgoing(publish(id, 1, big)); // ~2.5 KB live: compacted once
      const live = statSync(log()).size;
      for (let i = 0; i < 200; i++) s.putIncoming(1 + (i % 2)); // 11 bytes each: no rewrite until 2 × live
      expect(statSync(log()).size).toBeLessThanOrEqual(2 * live + 11);
      expect(s.load().outgoing.map((o) => o.packet.messageId)).toEqual([1, 2, 3, 4]);
      expect(reopen(s).load().incoming).toEqual([1, 2]);
    });
  });

  describe('the lock', () => {
    it('refuses a second store on a directory this process holds, and allows it after close()', () => {
      const s = store();
      expect(() => fileStore(dir)).toThrow(new RegExp(`in use by process ${process.pid}`));
      expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
      s.close();
      expect(existsSync(join(dir, 'lock'))).toBe(false);
      expect(() => store()).not.toThrow();
    });

    it('takes over a lock left by a dead process, or one that names no process', () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(join(dir, 'lock'), `${dead}\n`);
      store().close();
      writeFileSync(join(dir, 'lock'), '');
      store().close();
      expect(existsSync(join(dir, 'lock'))).toBe(false);
    });

    it('close() leaves alone a lock another process took over, and is idempotent', () => {
      const s = store();
      writeFileSync(join(dir, 'lock'), '1\n');
      s.close();
      s.close();
      expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe('1\n');
    });
  });

  describe('misuse', () => {
    it('fails every call once closed', () => {
      const s = store();
      s.close();
      expect(() => s.load()).toThrow(/is closed/);
      expect(() => s.putIncoming(1)).toThrow(/is closed/);
    });

    it('refuses a PUBLISH without packet identifier, an identifier outside 1..65535 (MQTT-2.3.1-1), and a bad compactAt', () => {
      const s = store();
      const { messageId: _, ...qos0 } = publish(1);
      expect(() => s.putOutgoing({ ...qos0, qos: 0 })).toThrow(TypeError);
      for (const id of [0, 65536, 1.5, Number.NaN]) expect(() => s.releaseOutgoing(id)).toThrow(RangeError);
      expect(s.load()).toEqual({ outgoing: [], incoming: [], queued: [] });
      expect(() => fileStore(join(dir, 'x'), { compactAt: 0 })).toThrow(RangeError);
    });
  });
});

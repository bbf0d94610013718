import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { PublishPacket } from '../packets/packet.js';
import { lockDirectory } from './dir-lock.js';
import { decodeRecords, encodeRecord, LOG_MAGIC, type LogRecord } from './log-record.js';
import { memoryStore } from './memory-store.js';
import type { SessionStore, StoredSession } from './session-store.js';
import { packetId } from './stored-values.js';

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * `fdatasync` after every change, so an acknowledged change survives a power cut or
   * an OS crash, not only the death of the process (which needs no sync). It bounds
   * the QoS 1/2 rate to what the disk syncs per second; see docs/reliability.md.
   * Default `true`.
   */
  fsync?: boolean;
  /**
   * Size in bytes past which the log is rewritten with only the live state (and, past
   * that, whenever it doubles the size of the last rewrite). Default 1 MiB.
   */
  compactAt?: number;
}

/** A {@link SessionStore} in a directory, with {@link FileStore.close} to let go of it. */
export interface FileStore extends SessionStore {
  /** Closes the log and releases the directory's lock; the store is unusable after. Idempotent. */
  close(): void;
}

const LOG = 'session.log';
const DEFAULT_COMPACT_AT = 1024 * 1024;

/**
 * A durable {@link SessionStore} for Node: the QoS 1/2 state (messages in flight and
 * waiting in the offline queue) lives in an append-only log in `dir`, so a client
 * restarted with the same `clientId`, `clean: false` and the same directory sends what
 * a dead process left queued or unacknowledged.
 *
 * Each change is one framed, checksummed record appended to `session.log` (and
 * `fdatasync`ed unless `fsync: false`); a record torn by a crash is ignored when the
 * log is read. The log is rewritten with only the live state (to a temporary file,
 * synced, then renamed over it) when it is opened and when it grows past `compactAt`.
 * A `lock` file with the process id keeps a second live process out of `dir`; a lock
 * left by a dead process is taken over. Everything is synchronous (`fs.*Sync`). A write
 * that fails (a full disk) throws the `fs` error and leaves the log as it was; a
 * compaction that fails only waits for the next attempt.
 *
 * @example
 * ```ts
 * const store = fileStore('/var/lib/my-app/mqtt');
 * const client = connect('mqtt://broker', { clientId: 'meter-17', clean: false, store });
 * // … client.end().subscribe({ complete: () => store.close() });
 * ```
 * @param dir the directory (created if missing); one client per directory.
 * @param options `fsync` (default `true`), `compactAt` (default 1 MiB).
 * @returns the open store.
 * @throws Error when another live process holds `dir`, or the log is not a session log;
 *   the `fs` error when the directory cannot be used.
 */
export function fileStore(dir: string, options: FileStoreOptions = {}): FileStore {
  const compactAt = options.compactAt ?? DEFAULT_COMPACT_AT;
  if (!Number.isSafeInteger(compactAt) || compactAt < 1) {
    throw new RangeError(`compactAt must be a positive integer, not ${String(compactAt)}`);
  }
  mkdirSync(dir, { recursive: true });
  const unlock = lockDirectory(dir);
  try {
    return new FileSessionStore(dir, options.fsync ?? true, compactAt, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** The log and the state it describes, kept in memory for `load()` and compaction. */
class FileSessionStore implements FileStore {
  private readonly path: string;
  private readonly state = memoryStore();
  /** The queued PUBLISHes by queue number (also in `state`, which has no lookup). */
  private readonly queued = new Map<number, PublishPacket>();
  private fd = -1;
  /** Bytes in the log: every one of them belongs to an intact record. */
  private size = 0;
  /** Compact once the log grows past this. */
  private limit = 0;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    private readonly compactAt: number,
    private readonly unlock: () => void,
  ) {
    this.path = join(dir, LOG);
    const bytes = readIfPresent(this.path);
    let end = 0;
    if (bytes !== undefined && bytes.length > 0) {
      if (!startsWithMagic(bytes)) throw new Error(`${this.path} is not an rx-mqtt session log`);
      const log = decodeRecords(bytes, LOG_MAGIC.length);
      for (const record of log.records) this.apply(record);
      end = log.end;
    }
    try {
      // Drops a torn tail and dead records, and leaves a log that ends on a whole record.
      this.compact();
    } catch (error) {
      if (end === 0) throw error;
      // No room for the rewrite (a full disk): go on with the log as it is, cut after its
      // last whole record (truncating needs no space).
      if (this.fd >= 0) closeSync(this.fd);
      truncateSync(this.path, end);
      this.fd = openSync(this.path, 'a');
      this.size = end;
      this.limit = Math.max(this.compactAt, 2 * end);
    }
  }

  load(): StoredSession {
    this.checkOpen();
    return this.state.load();
  }

  putQueued(seq: number, packet: PublishPacket): void {
    this.record({ type: 'putQueued', seq, packet });
  }

  deleteQueued(seq: number): void {
    this.record({ type: 'deleteQueued', seq });
  }

  putOutgoing(packet: PublishPacket, seq?: number): void {
    if (packet.messageId === undefined) throw new TypeError('a stored PUBLISH needs its messageId (QoS 1 or 2)');
    // Leaving the queue: one small record (the payload is in the log already), so that
    // leaving the queue and entering the in-flight table is one change.
    if (seq !== undefined && this.queued.has(seq)) this.record({ type: 'sendQueued', seq, messageId: packetId(packet.messageId) });
    else this.record({ type: 'putOutgoing', packet });
  }

  releaseOutgoing(messageId: number): void {
    this.record({ type: 'releaseOutgoing', messageId: packetId(messageId) });
  }

  deleteOutgoing(messageId: number): void {
    this.record({ type: 'deleteOutgoing', messageId: packetId(messageId) });
  }

  putIncoming(messageId: number): void {
    this.record({ type: 'putIncoming', messageId: packetId(messageId) });
  }

  deleteIncoming(messageId: number): void {
    this.record({ type: 'deleteIncoming', messageId: packetId(messageId) });
  }

  clearIncoming(): void {
    this.record({ type: 'clearIncoming' });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } finally {
      this.unlock();
    }
  }

  /** Appends the change (synced), then applies it in memory: the log is never behind. */
  private record(record: LogRecord): void {
    this.checkOpen();
    const bytes = encodeRecord(record);
    try {
      writeAll(this.fd, bytes);
      if (this.fsync) fdatasyncSync(this.fd);
    } catch (error) {
      // A half-written record would hide every later one: cut it off before failing.
      ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += bytes.length;
    this.apply(record);
    if (this.size > this.limit) {
      try {
        this.compact();
      } catch {
        // The change is in the log, which is whole: only the rewrite failed (a full disk).
        // Not the caller's failure; try again once the log has doubled.
        this.limit = Math.max(this.compactAt, 2 * this.size);
      }
    }
  }

  private apply(record: LogRecord): void {
    const state = this.state;
    switch (record.type) {
      case 'putOutgoing':
        return state.putOutgoing(record.packet);
      case 'putQueued':
        this.queued.set(record.seq, record.packet);
        return state.putQueued(record.seq, record.packet);
      case 'deleteQueued':
        this.queued.delete(record.seq);
        return state.deleteQueued(record.seq);
      case 'sendQueued': {
        const packet = this.queued.get(record.seq);
        if (packet === undefined) throw new Error(`corrupt session log: queued message ${record.seq} sent but never queued`);
        this.queued.delete(record.seq);
        // The PUBLISH as sent: the queued one with its packet identifier.
        return state.putOutgoing({ ...packet, messageId: record.messageId }, record.seq);
      }
      case 'releaseOutgoing':
        return state.releaseOutgoing(record.messageId);
      case 'deleteOutgoing':
        return state.deleteOutgoing(record.messageId);
      case 'putIncoming':
        return state.putIncoming(record.messageId);
      case 'deleteIncoming':
        return state.deleteIncoming(record.messageId);
      case 'clearIncoming':
        return state.clearIncoming();
    }
  }

  /** Rewrites the log with only the live state: a temporary file, synced, renamed over the log. */
  private compact(): void {
    const { outgoing, incoming, queued } = this.state.load();
    const pieces: Uint8Array[] = [LOG_MAGIC];
    for (const { packet, released } of outgoing) {
      pieces.push(encodeRecord({ type: 'putOutgoing', packet }));
      if (released) pieces.push(encodeRecord({ type: 'releaseOutgoing', messageId: packet.messageId ?? 0 }));
    }
    for (const messageId of incoming) pieces.push(encodeRecord({ type: 'putIncoming', messageId }));
    for (const { seq, packet } of queued) pieces.push(encodeRecord({ type: 'putQueued', seq, packet }));
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    let size = 0;
    try {
      for (const piece of pieces) {
        writeAll(fd, piece);
        size += piece.length;
      }
      if (this.fsync) fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true }); // gives back the space it took
      throw error;
    }
    closeSync(fd);
    // Closed before the rename: Windows refuses to replace a file that is open.
    if (this.fd >= 0) closeSync(this.fd);
    try {
      renameSync(temporary, this.path);
      if (this.fsync) syncDirectory(this.dir);
    } finally {
      this.fd = openSync(this.path, 'a'); // the new log, or the old one if the rename failed
    }
    this.size = size;
    this.limit = Math.max(this.compactAt, 2 * size);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`the file store in ${this.dir} is closed`);
  }
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return bytes.length >= LOG_MAGIC.length && LOG_MAGIC.every((byte, i) => bytes[i] === byte);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** The whole file as a `Uint8Array`, or `undefined` when there is none. */
function readIfPresent(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const bytes = new Uint8Array(fstatSync(fd).size);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable. Windows cannot open a directory to sync it (NTFS journals the rename). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

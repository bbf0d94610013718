import { Observable, Subject } from 'rxjs';
import { decode } from '../packets/decode.js';
import { encode } from '../packets/encode.js';
import type { PublishPacket } from '../packets/packet.js';
import { memoryStore } from './memory-store.js';
import { encodeQueued, packetId, queueNumber } from './stored-values.js';
import type { SessionStore, StoredSession } from './session-store.js';

/** Options of {@link openIndexedDbStore}. */
export interface IndexedDbStoreOptions {
  /**
   * The durability hint of each write transaction: `'relaxed'` commits once the browser
   * has the change (it survives the tab, not a power cut or an OS crash), `'strict'`
   * once it is flushed to disk (slower: one flush per QoS 1/2 step). Unset: the
   * browser's default (`'relaxed'` in Chromium).
   */
  durability?: 'default' | 'strict' | 'relaxed';
  /** The IndexedDB to use instead of the global `indexedDB` (a worker's, or a test double). */
  indexedDB?: IDBFactory;
}

/** A {@link SessionStore} in IndexedDB, from {@link openIndexedDbStore}. */
export interface IndexedDbStore extends SessionStore {
  /**
   * Writes that failed (quota exceeded, the database deleted by another tab or by the
   * user clearing site data): the session goes on from memory, but that change will not
   * be there after a reload. Hot; emits nothing once the store is closed.
   */
  readonly errors$: Observable<Error>;
  /**
   * Tells when the changes made so far are committed (the client holds back its
   * packets until then, see {@link SessionStore.whenWritten}).
   *
   * @param written called once the last transaction started has completed or aborted.
   * @returns `false` when no transaction is pending (`written` is never called).
   */
  whenWritten(written: () => void): boolean;
  /** Closes the database connection (after the writes already started); the store is unusable after. Idempotent. */
  close(): void;
}

/**
 * The schema version. 1: `outgoing`, `released`, `incoming`, keyed by packet identifier;
 * 2 adds `queued`, keyed by queue number (an upgrade from 1 keeps what 1 held).
 */
const VERSION = 2;
/** messageId → {@link OutgoingRecord}. */
const OUTGOING = 'outgoing';
/** messageId → true: PUBREC arrived for that outgoing QoS 2 message. */
const RELEASED = 'released';
/** messageId → true: an inbound QoS 2 message delivered, awaiting PUBREL. */
const INCOMING = 'incoming';
/** seq → {@link QueuedRecord}: an outbound QoS 1/2 PUBLISH waiting in the offline queue. */
const QUEUED = 'queued';
const STORES_V1 = [OUTGOING, RELEASED, INCOMING];
const STORES = [...STORES_V1, QUEUED];

/** A stored outbound PUBLISH: its place in the sending order, and the packet encoded as MQTT 5. */
interface OutgoingRecord {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** A queued PUBLISH, encoded as MQTT 5 with a placeholder packet identifier. */
interface QueuedRecord {
  readonly bytes: Uint8Array;
}

/**
 * Opens a {@link SessionStore} kept in the browser's IndexedDB, so a page that is
 * reloaded or reopened with the same `clientId` and `clean: false` resends what it left
 * unacknowledged. IndexedDB is asynchronous and a store is synchronous: the Observable
 * reads the database into memory, emits the store once and completes; from then on the
 * store answers `load()` from memory and writes every change through: the changes one
 * task makes (the session handling one event) go into one readwrite transaction, started
 * by the first of them, synchronously, and committed explicitly (`commit()`) at the end
 * of the task. Transactions apply in order, each whole or not at all. The client sends
 * no packet before the transactions started ahead of it have committed
 * (`whenWritten`), so a tab that goes away with a transaction pending has sent nothing
 * that depends on it.
 *
 * What a reloaded or closed tab had changed is there on the next load (measured in
 * Chromium); a tab that dies some other way can lose its last transactions, and
 * docs/browser.md ("A store for browsers") says what that costs, change by change. Use
 * one database name per client (for instance the `clientId`), and one tab per name at
 * a time.
 *
 * @example
 * ```ts
 * openIndexedDbStore(`mqtt-${clientId}`).pipe(
 *   map((store) => connect('wss://broker/mqtt', { clientId, clean: false, store })),
 * ).subscribe((client) => …);
 * ```
 * @param name the database name; default `'rx-mqtt'`.
 * @param options `durability` of the writes, and the `indexedDB` to use.
 * @returns a cold Observable: each subscription opens the database and emits one store
 *   with its contents loaded, then completes; it fails when there is no IndexedDB or the
 *   database cannot be opened or read. Unsubscribing before it emits closes the database.
 */
export function openIndexedDbStore(name = 'rx-mqtt', options: IndexedDbStoreOptions = {}): Observable<IndexedDbStore> {
  return new Observable<IndexedDbStore>((subscriber) => {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (factory === undefined) {
      subscriber.error(new TypeError('openIndexedDbStore(): there is no IndexedDB here (in Node, use fileStore)'));
      return undefined;
    }
    let db: IDBDatabase | undefined;
    let handedOver = false;
    let notOurs = false;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, VERSION);
    } catch (error) {
      // SecurityError in an opaque origin (a sandboxed iframe, a data: URL).
      subscriber.error(failure(`cannot open the IndexedDB database "${name}"`, error));
      return undefined;
    }
    request.onupgradeneeded = (event) => {
      const upgraded = request.result;
      const names = upgraded.objectStoreNames;
      if (event.oldVersion > 0 && !STORES_V1.every((store) => names.contains(store))) {
        // Someone else's database of that name: leave it as it was (onerror reports it).
        notOurs = true;
        request.transaction?.abort();
        return;
      }
      for (const store of STORES) if (!names.contains(store)) upgraded.createObjectStore(store);
    };
    request.onerror = (event) => {
      event.preventDefault();
      subscriber.error(
        notOurs
          ? corrupt(name, `version ${VERSION - 1} without the object stores ${STORES_V1.join(', ')}`)
          : failure(`cannot open the IndexedDB database "${name}"`, request.error),
      );
    };
    request.onsuccess = () => {
      const opened = request.result;
      db = opened;
      if (subscriber.closed) {
        opened.close();
        return;
      }
      readSession(opened, name).subscribe({
        next: (session) => {
          handedOver = true;
          subscriber.next(new IndexedDbSessionStore(opened, name, session, options.durability));
          subscriber.complete();
        },
        error: (error: unknown) => {
          opened.close();
          subscriber.error(error);
        },
      });
    };
    return () => {
      if (!handedOver) db?.close();
    };
  });
}

/** What the database holds, as read at open. */
interface LoadedSession {
  /** Outbound packets by messageId, in sending order. */
  readonly outgoing: ReadonlyArray<{ readonly seq: number; readonly packet: PublishPacket }>;
  readonly released: readonly number[];
  readonly incoming: readonly number[];
  /** Queued packets (no messageId), by ascending seq. */
  readonly queued: ReadonlyArray<{ readonly seq: number; readonly packet: PublishPacket }>;
}

/** Reads the three object stores in one readonly transaction. */
function readSession(db: IDBDatabase, name: string): Observable<LoadedSession> {
  return new Observable<LoadedSession>((subscriber) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction(STORES, 'readonly');
    } catch (error) {
      subscriber.error(failure(`cannot read the IndexedDB database "${name}"`, error));
      return;
    }
    const outgoingKeys = tx.objectStore(OUTGOING).getAllKeys();
    const outgoingValues = tx.objectStore(OUTGOING).getAll();
    const released = tx.objectStore(RELEASED).getAllKeys();
    const incoming = tx.objectStore(INCOMING).getAllKeys();
    const queuedKeys = tx.objectStore(QUEUED).getAllKeys();
    const queuedValues = tx.objectStore(QUEUED).getAll();
    tx.oncomplete = () => {
      try {
        const keys = outgoingKeys.result.map((key) => storedId(key, name));
        const outgoing = outgoingValues.result
          .map((value: unknown, i) => storedOutgoing(value, keys[i] ?? 0, name))
          .sort((a, b) => a.seq - b.seq);
        subscriber.next({
          outgoing,
          released: released.result.map((key) => storedId(key, name)),
          incoming: incoming.result.map((key) => storedId(key, name)),
          // Keys come sorted: numbers in ascending order.
          queued: queuedValues.result.map((value: unknown, i) => storedQueued(value, queuedKeys.result[i], name)),
        });
        subscriber.complete();
      } catch (error) {
        subscriber.error(error);
      }
    };
    tx.onabort = () => subscriber.error(failure(`cannot read the IndexedDB database "${name}"`, tx.error));
  });
}

/** The session in IndexedDB, mirrored in a {@link memoryStore} that answers `load()`. */
class IndexedDbSessionStore implements IndexedDbStore {
  private readonly mirror = memoryStore();
  /** Sending order of each outgoing messageId: a PUBLISH stored again keeps its place. */
  private readonly seqs = new Map<number, number>();
  private nextSeq = 1;
  private readonly failures = new Subject<Error>();
  readonly errors$ = this.failures.asObservable();
  private readonly txOptions: IDBTransactionOptions | undefined;
  private closed = false;
  /** This task's transaction, until its commit. */
  private batch: IDBTransaction | undefined;
  /** The last transaction started, until it completes or aborts. */
  private unwritten: IDBTransaction | undefined;
  /** The `whenWritten` callbacks, by the transaction each waits for (the last started when it was called). */
  private readonly waiting = new Map<IDBTransaction, Array<() => void>>();

  constructor(
    private readonly db: IDBDatabase,
    private readonly name: string,
    loaded: LoadedSession,
    durability: IndexedDbStoreOptions['durability'],
  ) {
    this.txOptions = durability === undefined ? undefined : { durability };
    for (const { seq, packet } of loaded.outgoing) {
      const id = packet.messageId ?? 0;
      this.mirror.putOutgoing(packet);
      this.seqs.set(id, seq);
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
    }
    for (const id of loaded.released) if (this.seqs.has(id)) this.mirror.releaseOutgoing(id);
    for (const id of loaded.incoming) this.mirror.putIncoming(id);
    for (const { seq, packet } of loaded.queued) this.mirror.putQueued(seq, packet);
    // Another tab deletes or upgrades the database: let it, and say that writes stop here.
    db.onversionchange = () => {
      db.close();
      this.fail(new Error(`the IndexedDB database "${name}" was deleted or upgraded by another connection`));
    };
    // Closed by the browser (site data cleared, storage lost).
    db.onclose = () => this.fail(new Error(`the browser closed the IndexedDB database "${name}"`));
  }

  load(): StoredSession {
    this.checkOpen();
    return this.mirror.load();
  }

  putQueued(seq: number, packet: PublishPacket): void {
    this.checkOpen();
    const key = queueNumber(seq);
    // A copy: encode() may return a view into a shared slab, which IndexedDB would store whole.
    const record: QueuedRecord = { bytes: encodeQueued(packet).slice() };
    this.mirror.putQueued(key, packet);
    this.write((tx) => tx.objectStore(QUEUED).put(record, key));
  }

  deleteQueued(seq: number): void {
    this.checkOpen();
    const key = queueNumber(seq);
    this.mirror.deleteQueued(key);
    this.write((tx) => tx.objectStore(QUEUED).delete(key));
  }

  putOutgoing(packet: PublishPacket, queued?: number): void {
    this.checkOpen();
    if (packet.messageId === undefined) throw new TypeError('a stored PUBLISH needs its messageId (QoS 1 or 2)');
    const id = packetId(packet.messageId);
    const key = queued === undefined ? undefined : queueNumber(queued);
    const record: OutgoingRecord = { seq: this.seqs.get(id) ?? this.nextSeq++, bytes: encode(packet, 5).slice() };
    this.seqs.set(id, record.seq);
    this.mirror.putOutgoing(packet, key);
    // One transaction: the message leaves the queue and enters the in-flight table together.
    this.write((tx) => {
      tx.objectStore(OUTGOING).put(record, id);
      tx.objectStore(RELEASED).delete(id);
      if (key !== undefined) tx.objectStore(QUEUED).delete(key);
    });
  }

  releaseOutgoing(messageId: number): void {
    this.checkOpen();
    const id = packetId(messageId);
    this.mirror.releaseOutgoing(id);
    this.write((tx) => tx.objectStore(RELEASED).put(true, id));
  }

  deleteOutgoing(messageId: number): void {
    this.checkOpen();
    const id = packetId(messageId);
    this.seqs.delete(id);
    this.mirror.deleteOutgoing(id);
    this.write((tx) => {
      tx.objectStore(OUTGOING).delete(id);
      tx.objectStore(RELEASED).delete(id);
    });
  }

  putIncoming(messageId: number): void {
    this.checkOpen();
    const id = packetId(messageId);
    this.mirror.putIncoming(id);
    this.write((tx) => tx.objectStore(INCOMING).put(true, id));
  }

  deleteIncoming(messageId: number): void {
    this.checkOpen();
    const id = packetId(messageId);
    this.mirror.deleteIncoming(id);
    this.write((tx) => tx.objectStore(INCOMING).delete(id));
  }

  clearIncoming(): void {
    this.checkOpen();
    this.mirror.clearIncoming();
    this.write((tx) => tx.objectStore(INCOMING).clear());
  }

  /**
   * Transactions end in the order they started, so the changes made so far are written
   * when the last one started has ended: `written` waits for that one.
   */
  whenWritten(written: () => void): boolean {
    const tx = this.unwritten;
    if (tx === undefined) return false;
    const callbacks = this.waiting.get(tx);
    if (callbacks === undefined) this.waiting.set(tx, [written]);
    else callbacks.push(written);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.onversionchange = null;
    this.db.onclose = null;
    this.db.close();
    this.failures.complete();
  }

  /**
   * Adds the change to this task's readwrite transaction (over every object store, so
   * transactions apply in call order), started by the first change of the task and
   * committed explicitly once the task's synchronous work is done.
   */
  private write(change: (tx: IDBTransaction) => void): void {
    try {
      let tx = this.batch;
      if (tx === undefined) {
        const started = this.db.transaction(STORES, 'readwrite', this.txOptions);
        started.oncomplete = () => this.ended(started);
        started.onabort = () => {
          this.fail(failure(`a write to the IndexedDB database "${this.name}" failed`, started.error));
          this.ended(started);
        };
        this.batch = this.unwritten = tx = started;
        // Measured in Chromium (docs/browser.md): a transaction left to auto-commit, or a
        // backlog of one transaction per change, is dropped when the page goes away
        // right after; one transaction per task, committed at once, is not. The
        // microtask only commits: nothing reaches the session or the user through it.
        queueMicrotask(() => this.commit(started));
      }
      change(tx);
    } catch (error) {
      this.fail(failure(`cannot write to the IndexedDB database "${this.name}"`, error));
    }
  }

  /** A transaction completed or aborted: the changes made before it are through, and so are its own. */
  private ended(tx: IDBTransaction): void {
    if (this.unwritten === tx) this.unwritten = undefined;
    const callbacks = this.waiting.get(tx);
    if (callbacks === undefined) return;
    this.waiting.delete(tx);
    for (const written of callbacks) written();
  }

  private commit(tx: IDBTransaction): void {
    if (this.batch === tx) this.batch = undefined;
    // Browsers from before 2020 (Chromium 76, Firefox 74, Safari 15) have no commit():
    // theirs commits once idle. A transaction already aborted cannot commit: onabort said so.
    if (typeof tx.commit !== 'function') return;
    try {
      tx.commit();
    } catch {
      // InvalidStateError: aborted, or already inactive (it then commits by itself).
    }
  }

  private fail(error: Error): void {
    if (!this.closed) this.failures.next(error);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`the IndexedDB store "${this.name}" is closed`);
  }
}

/** A queued record, checked: `{ bytes }` holding a QoS 1/2 PUBLISH, under a queue number. */
function storedQueued(value: unknown, key: IDBValidKey | undefined, name: string): { seq: number; packet: PublishPacket } {
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) {
    throw corrupt(name, `queued key ${String(key)} is not a queue number`);
  }
  const bytes = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof QueuedRecord, unknown>>).bytes : undefined;
  if (!(bytes instanceof Uint8Array)) throw corrupt(name, `the queued record ${key} is not { bytes }`);
  let packet;
  try {
    packet = decode(bytes, 5);
  } catch (error) {
    throw corrupt(name, `the queued record ${key}: ${describe(error)}`);
  }
  if (packet.cmd !== 'publish' || packet.qos === 0) throw corrupt(name, `the queued record ${key} is not a QoS 1/2 PUBLISH`);
  delete packet.messageId; // the placeholder
  return { seq: key, packet };
}

function storedId(key: IDBValidKey, name: string): number {
  if (typeof key !== 'number' || !Number.isInteger(key) || key < 1 || key > 65535) {
    throw corrupt(name, `key ${String(key)} is not a packet identifier`);
  }
  return key;
}

/** An outgoing record, checked: `{ seq, bytes }` holding a PUBLISH stored under its own messageId. */
function storedOutgoing(value: unknown, id: number, name: string): { seq: number; packet: PublishPacket } {
  const record = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof OutgoingRecord, unknown>>) : {};
  const { seq, bytes } = record;
  if (typeof seq !== 'number' || !(bytes instanceof Uint8Array)) {
    throw corrupt(name, `the outgoing record of ${id} is not { seq, bytes }`);
  }
  let packet;
  try {
    packet = decode(bytes, 5);
  } catch (error) {
    throw corrupt(name, `the outgoing record of ${id}: ${describe(error)}`);
  }
  if (packet.cmd !== 'publish' || packet.messageId !== id) {
    throw corrupt(name, `the outgoing record of ${id} is not a PUBLISH with that packet identifier`);
  }
  return { seq, packet };
}

function corrupt(name: string, why: string): Error {
  return new Error(`the IndexedDB database "${name}" is not an rx-mqtt session store: ${why}`);
}

/** An Error saying what failed, with the DOMException (or whatever was thrown) as `cause`. */
function failure(what: string, cause: unknown): Error {
  return new Error(`${what}: ${describe(cause)}`, { cause });
}

/** `name: message` of an Error or a DOMException (not an Error subclass in every browser). */
function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && 'message' in error) {
    return `${String(error.name)}: ${String(error.message)}`;
  }
  return String(error);
}

import type { ProtocolVersion, PublishPacket } from '../packets/packet.js';
import type { SessionStore, StoredQueued } from '../store/session-store.js';
import { MqttQueueFullError, type MqttStoreError } from './errors.js';
import { PublishQueue } from './publish-queue.js';
import type { PublishRequest } from './publish-request.js';
import { RestoredPublish } from './restored-publish.js';

/**
 * The publishes not sent yet (offline, or behind a full window), in order, bounded, and durable:
 * a QoS 1/2 one is in the store, under an increasing queue number, from the moment it
 * is queued until it is sent (`putOutgoing` moves it) or forgotten. Those an earlier
 * process queued come first, as {@link RestoredPublish}.
 *
 * @example
 * ```ts
 * const queue = new OfflineQueue<Request>(store, 5, store.load().queued, 1000);
 * const error = queue.push(request);          // full, or a store failure: not queued
 * const entry = queue.peek(), seq = queue.take(); // sent: putOutgoing(packet, seq)
 * ```
 */
export class OfflineQueue<P extends PublishRequest> {
  private readonly queue = new PublishQueue<P | RestoredPublish>();
  /** Queue numbers in the store of the QoS 1/2 requests waiting. */
  private readonly seqs = new Map<P, number>();
  private nextSeq = 1;

  /**
   * @param store where queued QoS 1/2 publishes live across restarts.
   * @param version the protocol version (properties are stored in MQTT 5 only).
   * @param restored what an earlier process left queued, by ascending `seq`.
   * @param limit how many publishes may wait (restored ones count); no limit by default.
   */
  constructor(
    private readonly store: Pick<SessionStore, 'putQueued' | 'deleteQueued'>,
    private readonly version: ProtocolVersion,
    restored: readonly StoredQueued[],
    private readonly limit = Infinity,
  ) {
    for (const { seq, packet } of restored) {
      this.queue.push(new RestoredPublish(seq, packet));
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
    }
  }

  /** The number of publishes waiting. */
  get size(): number {
    return this.queue.size;
  }

  /**
   * @param request a request.
   * @returns whether it waits here.
   */
  has(request: P): boolean {
    return this.queue.has(request);
  }

  /**
   * Queues a publish at the end, unless the queue holds `limit` already; a QoS 1/2 one
   * goes to the store first.
   *
   * @param request the publish.
   * @returns a `MqttQueueFullError` when full, the store's error when that failed (in
   *   both cases it is not queued).
   */
  push(request: P): MqttQueueFullError | MqttStoreError | undefined {
    if (this.queue.size >= this.limit) {
      return new MqttQueueFullError(`the offline queue holds queueLimit (${this.limit}) messages`);
    }
    if (request.qos > 0) {
      const seq = this.nextSeq;
      const { topic, payload, qos, retain } = request;
      const properties = this.version === 5 ? request.properties : undefined;
      const packet: PublishPacket = properties === undefined
        ? { cmd: 'publish', topic, payload, qos, dup: false, retain }
        : { cmd: 'publish', topic, payload, qos, dup: false, retain, properties };
      try {
        this.store.putQueued(seq, packet);
      } catch (error) {
        return error as MqttStoreError;
      }
      this.nextSeq = seq + 1;
      this.seqs.set(request, seq);
    }
    this.queue.push(request);
    return undefined;
  }

  /**
   * Removes a publish still waiting (cancelled), from the store too.
   *
   * @param request the publish.
   */
  cancel(request: P): void {
    if (!this.queue.delete(request)) return;
    const seq = this.unqueue(request);
    if (seq !== undefined) this.store.deleteQueued(seq);
  }

  /** @returns the publish at the head, without removing it. */
  peek(): P | RestoredPublish | undefined {
    return this.queue.peek();
  }

  /**
   * Removes the publish at the head (the one {@link peek} gave), to be sent.
   *
   * @returns its queue number in the store, if it has one: its record leaves the
   *   stored queue as it is sent (or refused).
   */
  take(): number | undefined {
    const entry = this.queue.shift();
    return entry === undefined ? undefined : this.unqueue(entry);
  }

  /**
   * Empties the queue: each publish of this process leaves the store and is given to
   * `reject`, in order. Restored ones, which no one can be told about, stay in the
   * store for the next process.
   *
   * @param reject called with each request of this process.
   */
  drain(reject: (request: P) => void): void {
    if (this.queue.size === 0) return;
    for (const entry of this.queue.takeAll()) {
      if (entry instanceof RestoredPublish) continue;
      const seq = this.unqueue(entry);
      if (seq !== undefined) this.store.deleteQueued(seq);
      reject(entry);
    }
  }

  /** @returns the store's queue number of an entry leaving the queue (forgotten), if it has one. */
  private unqueue(entry: P | RestoredPublish): number | undefined {
    if (entry instanceof RestoredPublish) return entry.seq;
    const seq = this.seqs.get(entry);
    if (seq !== undefined) this.seqs.delete(entry);
    return seq;
  }
}

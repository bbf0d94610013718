import type { PublishPacket } from '../packets/packet.js';

/** What a {@link SessionStore} holds for a session, as loaded at start. */
export interface StoredSession {
  /** Outbound QoS 1/2 PUBLISHes not yet acknowledged, in the order they were first sent. */
  readonly outgoing: readonly StoredPublish[];
  /** Packet identifiers of inbound QoS 2 messages delivered but not yet released by PUBREL. */
  readonly incoming: readonly number[];
  /** Outbound QoS 1/2 PUBLISHes waiting in the offline queue (never sent), by ascending `seq`. */
  readonly queued: readonly StoredQueued[];
}

/** An outbound QoS 1/2 PUBLISH in flight, and whether PUBREC moved it to the PUBREL phase. */
export interface StoredPublish {
  /** The PUBLISH as first sent, with its `messageId`. */
  readonly packet: PublishPacket;
  /** QoS 2 only: PUBREC arrived, so PUBREL (not the PUBLISH) is what to send again. */
  readonly released: boolean;
}

/** An outbound QoS 1/2 PUBLISH waiting in the offline queue: not sent yet, so no packet identifier. */
export interface StoredQueued {
  /** Its place in the queue: the session numbers queued messages in increasing order. */
  readonly seq: number;
  /** The PUBLISH to send, without `messageId` (given when it is sent). */
  readonly packet: PublishPacket;
}

/**
 * Where the session keeps the state that must survive a lost connection (and, for a
 * persistent store, a restart): outbound QoS 1/2 messages waiting in the offline queue
 * and in flight with their PUBREL state, and the inbound QoS 2 identifiers awaiting
 * PUBREL. Calls are synchronous and in protocol order; a persistent store may write
 * behind. A call that throws is reported by the session as a `MqttStoreError` (see
 * docs/reliability.md): a `putQueued` or `putOutgoing` that throws fails the publish
 * before it is sent.
 *
 * QoS 0 messages are never stored: a QoS 0 publish waiting in the queue is lost with
 * the process.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://broker', { clean: false, store: memoryStore() });
 * ```
 */
export interface SessionStore {
  /** @returns what an earlier session left, read once when the client starts. */
  load(): StoredSession;
  /**
   * Records an outbound QoS 1/2 PUBLISH put in the offline queue (client offline, or
   * the in-flight window full).
   *
   * @param seq its place in the queue, larger than any `seq` stored before.
   * @param packet the PUBLISH, without `messageId`.
   */
  putQueued(seq: number, packet: PublishPacket): void;
  /** Forgets a queued PUBLISH that will never be sent (cancelled, or failed by `end()`). */
  deleteQueued(seq: number): void;
  /**
   * Records an outbound QoS 1/2 PUBLISH that was just sent (it has its `messageId`).
   * When it left the offline queue, `seq` is its queue number and `packet` is the queued
   * PUBLISH with its `messageId` added (a store may record just the two numbers); the
   * queued record goes in the same change: a crash leaves one of the two, never both or
   * neither.
   */
  putOutgoing(packet: PublishPacket, seq?: number): void;
  /** Records that PUBREC arrived for `messageId` (PUBREL is now the packet to resend). */
  releaseOutgoing(messageId: number): void;
  /** Forgets an outbound flow: acknowledged, or refused. */
  deleteOutgoing(messageId: number): void;
  /** Records an inbound QoS 2 message delivered and awaiting PUBREL. */
  putIncoming(messageId: number): void;
  /** Forgets an inbound QoS 2 identifier (PUBREL arrived). */
  deleteIncoming(messageId: number): void;
  /** Forgets every inbound QoS 2 identifier (the server started a new session). */
  clearIncoming(): void;
  /**
   * Optional, for a store that writes behind (the IndexedDB store): asks to be told
   * when every change made so far is written. The client sends no packet before the
   * changes made ahead of it are written (write-ahead): a PUBLISH never reaches the
   * server before its record, nor a PUBREC before the inbound identifier, so a process
   * that dies with writes pending has sent nothing that depends on them.
   *
   * @param written called once, later (never from inside this call), when the changes
   *   made before this call are written or failed to be (a failure is the store's to report).
   * @returns `false` when no change is waiting to be written (`written` is then never
   *   called), `true` otherwise.
   */
  whenWritten?(written: () => void): boolean;
}

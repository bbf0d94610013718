import type { PublishPacket } from '../packets/packet.js';

/** What a {@link SessionStore} holds for a session, as loaded at start. */
export interface StoredSession {
  /** Outbound QoS 1/2 PUBLISHes not yet acknowledged, in the order they were first sent. */
  readonly outgoing: readonly StoredPublish[];
  /** Packet identifiers of inbound QoS 2 messages delivered but not yet released by PUBREL. */
  readonly incoming: readonly number[];
}

/** An outbound QoS 1/2 PUBLISH in flight, and whether PUBREC moved it to the PUBREL phase. */
export interface StoredPublish {
  /** The PUBLISH as first sent, with its `messageId`. */
  readonly packet: PublishPacket;
  /** QoS 2 only: PUBREC arrived, so PUBREL (not the PUBLISH) is what to send again. */
  readonly released: boolean;
}

/**
 * Where the session keeps the state that must survive a lost connection (and, for a
 * persistent store, a restart): outbound QoS 1/2 messages in flight with their
 * PUBREL state, and the inbound QoS 2 identifiers awaiting PUBREL. Calls are
 * synchronous and in protocol order; a persistent store may write behind.
 *
 * The offline queue is not stored: a queued publish belongs to the subscriber of the
 * cold `publish()` Observable that queued it.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://broker', { clean: false, store: memoryStore() });
 * ```
 */
export interface SessionStore {
  /** @returns what an earlier session left, read once when the client starts. */
  load(): StoredSession;
  /** Records an outbound QoS 1/2 PUBLISH that was just sent (it has its `messageId`). */
  putOutgoing(packet: PublishPacket): void;
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
}

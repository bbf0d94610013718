import { MqttProtocolError } from '../packets/errors.js';
import type { SessionStore } from '../store/session-store.js';
import { strongerReason, type AckReason } from './ack-reason.js';
import type { TopicStream } from './topic-stream.js';

/** Receive Maximum exceeded (MQTT 5 reason code). */
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;

/** An inbound QoS 1/2 PUBLISH whose PUBACK / PUBREC is held back. */
interface HeldAck<S> {
  readonly id: number;
  readonly qos: 1 | 2;
  /** The manual-ack streams it was delivered to that have not acked it yet. */
  readonly waiting: Set<S>;
  /** What the streams that acked asked the ack to carry (a refusal wins). */
  reason: AckReason | undefined;
}

/**
 * The acknowledgement side of inbound QoS 1/2 PUBLISHes: the QoS 2 packet ids awaiting
 * PUBREL (in the store from their first PUBREC on), the PUBACK / PUBREC held back for
 * manual acks, sent in the order the PUBLISHes arrived (MQTT-4.6.0-2, MQTT-4.6.0-3),
 * and the count of unacknowledged messages our Receive Maximum bounds (MQTT-3.3.4-9).
 * It decides when an ack may go; `send` writes it.
 *
 * @example
 * ```ts
 * const acks = new InboundAcks<Stream>(0, store, [], (qos, id) => write(qos === 1 ? puback(id) : pubrec(id)));
 * const receipt = acks.receipt();
 * if (!acks.hold(receipt, 1, 7, waiting)) write(puback(7)); // nothing to wait for
 * acks.acknowledge(stream, receipt);                         // the last waiting stream acks: PUBACK 7
 * ```
 */
export class InboundAcks<S extends TopicStream> {
  /** QoS 2 ids delivered and awaiting PUBREL; `true` once PUBREC went out (and the id to the store). */
  private readonly incoming = new Map<number, boolean>();
  /** Held acks by receipt, in arrival order. */
  private readonly held = new Map<number, HeldAck<S>>();
  private nextReceipt = 1;
  /** QoS 1 messages of this connection whose PUBACK has not gone out. */
  private unackedQos1 = 0;
  /** QoS 2 ids of this connection whose PUBCOMP has not gone out (only while `limit` is enforced). */
  private readonly unreleased = new Set<number>();

  /**
   * @param limit our Receive Maximum when enforced, else 0.
   * @param store where the QoS 2 ids awaiting PUBREL live across restarts.
   * @param stored those ids, as the store loaded them (their PUBREC went out).
   * @param send writes PUBACK (QoS 1) or PUBREC (QoS 2, after {@link pubrec} or
   *   {@link refused}) for a packet id, with what the manual acks asked it to carry.
   */
  constructor(
    readonly limit: number,
    private readonly store: Pick<SessionStore, 'putIncoming' | 'deleteIncoming' | 'clearIncoming'>,
    stored: Iterable<number>,
    private readonly send: (qos: 1 | 2, id: number, reason: AckReason | undefined) => void,
  ) {
    for (const id of stored) this.incoming.set(id, true);
  }

  /**
   * @param id a QoS 2 packet id.
   * @returns whether a PUBLISH with it was delivered and awaits PUBREL (a repeat is not delivered again).
   */
  awaitsPubrel(id: number): boolean {
    return this.incoming.has(id);
  }

  /**
   * @param id a QoS 2 packet id.
   * @returns whether its PUBREC is held back (for manual acks, or behind an earlier one).
   */
  pubrecHeld(id: number): boolean {
    for (const ack of this.held.values()) {
      if (ack.id === id && ack.qos === 2) return true;
    }
    return false;
  }

  /** @returns whether one more QoS 1/2 PUBLISH would exceed our Receive Maximum (MQTT-3.3.4-9). */
  full(): boolean {
    return this.limit > 0 && this.unackedQos1 + this.unreleased.size >= this.limit;
  }

  /**
   * A QoS 2 PUBLISH is delivered: its id awaits PUBREL.
   *
   * @param id its packet id.
   */
  receivedQos2(id: number): void {
    this.incoming.set(id, false);
    if (this.limit > 0) this.unreleased.add(id);
  }

  /**
   * A QoS 1/2 PUBLISH arrived: whether it is delivered. A QoS 2 one whose id awaits
   * PUBREL was delivered already: acknowledged again, delivered once (MQTT-4.3.3-10 in
   * 5, MQTT-4.3.3-2 in 3.1.1), and its PUBREC, when held back for manual acks, goes when
   * they come. A new one beyond our Receive Maximum is a protocol error (MQTT-3.3.4-9;
   * MQTT 5 4.9: DISCONNECT 0x93). A new QoS 2 id now awaits PUBREL.
   *
   * @param qos its QoS.
   * @param id its packet id.
   * @returns `'deliver'`; `'pubrec'` (deliver nothing, send its PUBREC again);
   *   `'held'` (deliver nothing, send nothing); or the error to disconnect with.
   */
  admit(qos: 1 | 2, id: number): 'deliver' | 'pubrec' | 'held' | MqttProtocolError {
    if (qos === 2 && this.awaitsPubrel(id)) return this.pubrecHeld(id) ? 'held' : 'pubrec';
    if (this.full()) {
      return new MqttProtocolError(
        `the server sent more than Receive Maximum (${this.limit}) unacknowledged QoS 1/2 messages (MQTT-3.3.4-9)`,
        RECEIVE_MAXIMUM_EXCEEDED,
      );
    }
    if (qos === 2) this.receivedQos2(id);
    return 'deliver';
  }

  /** @returns the receipt of a QoS 1/2 PUBLISH being delivered. */
  receipt(): number {
    return this.nextReceipt++;
  }

  /**
   * A QoS 1/2 PUBLISH was delivered: its ack is held when manual streams must ack it
   * first, or an earlier ack is held (then held acks that may go are sent).
   *
   * @param receipt from {@link receipt}.
   * @param qos its QoS.
   * @param id its packet id.
   * @param waiting the manual-ack streams it reached, if any.
   * @returns `false` when nothing holds it: the caller sends the ack now.
   */
  hold(receipt: number, qos: 1 | 2, id: number, waiting: Set<S> | undefined): boolean {
    if (waiting === undefined && this.held.size === 0) return false;
    this.held.set(receipt, { id, qos, waiting: waiting ?? new Set(), reason: undefined });
    if (qos === 1) this.unackedQos1++;
    this.flush();
    return true;
  }

  /**
   * A manual-ack stream acks the message of `receipt`: when no stream waits for it any
   * more, its ack goes, after those held before it, carrying the reason the streams
   * gave (a refusal over a success, else the first). Idempotent; an unknown receipt
   * (of an earlier connection) is ignored.
   *
   * @param stream the stream.
   * @param receipt the message's receipt.
   * @param reason what the stream asks the ack to carry (MQTT 5), if anything.
   */
  acknowledge(stream: S, receipt: number, reason?: AckReason): void {
    const ack = this.held.get(receipt);
    if (ack === undefined || !ack.waiting.delete(stream)) return;
    ack.reason = strongerReason(ack.reason, reason);
    if (ack.waiting.size === 0) this.flush();
  }

  /**
   * A stream leaves: it owes no acks, it counts as having acked what it was given.
   *
   * @param stream the stream.
   */
  release(stream: S): void {
    if (this.held.size === 0 || stream.options.ack !== 'manual') return;
    for (const ack of this.held.values()) ack.waiting.delete(stream);
    this.flush();
  }

  /**
   * A PUBREC goes out for `id`: the first one puts the id in the store.
   *
   * @param id a QoS 2 packet id.
   */
  pubrec(id: number): void {
    if (this.incoming.get(id) === false) {
      this.incoming.set(id, true);
      this.store.putIncoming(id);
    }
  }

  /**
   * A refusing PUBREC (0x80 or more) goes out for `id`: the flow ends there (MQTT 5
   * 4.3.3), so the id no longer awaits PUBREL; a PUBLISH with it is a new message.
   *
   * @param id a QoS 2 packet id.
   */
  refused(id: number): void {
    this.incoming.delete(id);
    this.unreleased.delete(id);
  }

  /**
   * PUBREL for `id` arrived: the id is released (and leaves the store).
   *
   * @param id the packet id.
   * @returns whether it was awaiting PUBREL (PUBCOMP 0x92 otherwise).
   */
  pubrel(id: number): boolean {
    const stored = this.incoming.get(id);
    const known = this.incoming.delete(id);
    if (stored === true) this.store.deleteIncoming(id);
    this.unreleased.delete(id);
    return known;
  }

  /** The server has no session (MQTT-3.2.2-5): no id awaits PUBREL any more. */
  sessionLost(): void {
    this.incoming.clear();
    this.store.clearIncoming();
  }

  /** The connection ended: the server sends unacknowledged messages again on resume; their receipts are void. */
  connectionLost(): void {
    this.held.clear();
    this.unackedQos1 = 0;
    this.unreleased.clear();
  }

  /** Sends the held acks at the head of the line that nothing waits for any more, in order. */
  private flush(): void {
    for (const [receipt, ack] of this.held) {
      if (ack.waiting.size > 0) return;
      this.held.delete(receipt);
      if (ack.qos === 1) this.unackedQos1--;
      this.send(ack.qos, ack.id, ack.reason);
    }
  }
}

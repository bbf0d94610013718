import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';
import type { PublishPacket } from '../packets/packet.js';
import type { SessionStore, StoredPublish } from '../store/session-store.js';
import type { MqttStoreError } from './errors.js';
import type { PublishRequest } from './publish-request.js';

/** An outbound QoS 1/2 PUBLISH in flight. */
export interface OutboundFlow<P> {
  /** `undefined` for a flow restored from the store (no one to settle). */
  readonly request: P | undefined;
  /** The PUBLISH as last sent. */
  packet: PublishPacket;
  /** PUBREC arrived: the PUBREL phase. */
  released: boolean;
}

/**
 * The outbound QoS 1/2 PUBLISHes in flight, by packet identifier in the order first
 * sent, mirrored in the store; the window that bounds them (the server's Receive
 * Maximum, or `maxInflight`); and their PUBACK / PUBREC / PUBCOMP transitions. It
 * decides and records; the session writes the packets and settles the requests.
 *
 * @example
 * ```ts
 * const flows = new OutboundFlows<Request>(store, store.load().outgoing);
 * flows.window = limits.window;                  // from the CONNACK
 * if (!flows.full && flows.start(request, packet, undefined) === undefined) write(packet);
 * const flow = flows.puback(packet.messageId);   // the flow, ended (or an error, or undefined)
 * ```
 */
export class OutboundFlows<P extends PublishRequest> {
  private readonly flows = new Map<number, OutboundFlow<P>>();
  /** The most flows in flight at once on this connection; 0 until a CONNACK sets it. */
  window = 0;

  /**
   * @param store where the flows live across restarts.
   * @param restored the flows an earlier process left, in the order first sent.
   */
  constructor(
    private readonly store: Pick<SessionStore, 'putOutgoing' | 'releaseOutgoing' | 'deleteOutgoing'>,
    restored: readonly StoredPublish[],
  ) {
    for (const { packet, released } of restored) {
      if (packet.messageId !== undefined) this.flows.set(packet.messageId, { request: undefined, packet, released });
    }
  }

  /** The number of flows in flight. */
  get size(): number {
    return this.flows.size;
  }

  /** Whether the window is full: a QoS 1/2 publish must wait. */
  get full(): boolean {
    return this.flows.size >= this.window;
  }

  /**
   * @param id a packet identifier.
   * @returns whether a flow in flight has it.
   */
  has(id: number): boolean {
    return this.flows.has(id);
  }

  /** @returns the flows and their identifiers, in the order first sent. */
  entries(): IterableIterator<[number, OutboundFlow<P>]> {
    return this.flows.entries();
  }

  /**
   * A QoS 1/2 PUBLISH is about to go out: it goes to the store (leaving the stored
   * queue in the same change, when `seq` says it was queued), then in flight.
   *
   * @param request who to settle, `undefined` for one restored from the store.
   * @param packet the PUBLISH, with its `messageId`, as kept for a resend (no alias).
   * @param seq its queue number in the store, when it leaves the queue.
   * @returns the store's error: then it is not in flight and must not be sent.
   */
  start(request: P | undefined, packet: PublishPacket, seq: number | undefined): MqttStoreError | undefined {
    try {
      this.store.putOutgoing(packet, seq);
    } catch (error) {
      return error as MqttStoreError;
    }
    this.flows.set(packet.messageId as number, { request, packet, released: false });
    return undefined;
  }

  /**
   * PUBACK arrived: the QoS 1 flow of `id` ends (and leaves the store).
   *
   * @param id its packet identifier.
   * @returns the flow ended; `undefined` for an unknown identifier (nothing to settle,
   *   nothing lost); a protocol error when `id` is a QoS 2 flow (it stays).
   */
  puback(id: number): OutboundFlow<P> | MqttProtocolError | undefined {
    const flow = this.flows.get(id);
    if (flow === undefined) return undefined;
    if (flow.packet.qos !== 1) return new MqttProtocolError(`PUBACK for QoS 2 message ${id}`, PROTOCOL_ERROR);
    this.end(id);
    return flow;
  }

  /**
   * PUBREC arrived for the QoS 2 flow of `id`. A refusing code (0x80 or more) ends it
   * (MQTT-4.3.3-4: the identifier is free again); any other moves it, once, to the
   * PUBREL phase, in the store too (MQTT-4.3.3-3: the caller answers PUBREL, again for
   * a repeated PUBREC).
   *
   * @param id its packet identifier.
   * @param code the PUBREC's reason code (0 in MQTT 3.x).
   * @returns the flow, ended or released; `undefined` for an unknown identifier (MQTT 5
   *   4.3.3: PUBREL 0x92 lets the server drop its state); a protocol error when `id` is
   *   a QoS 1 flow (it stays).
   */
  pubrec(id: number, code: number): OutboundFlow<P> | MqttProtocolError | undefined {
    const flow = this.flows.get(id);
    if (flow === undefined) return undefined;
    if (flow.packet.qos !== 2) return new MqttProtocolError(`PUBREC for QoS 1 message ${id}`, PROTOCOL_ERROR);
    if (code >= 0x80) {
      this.end(id);
      return flow;
    }
    if (!flow.released) {
      flow.released = true;
      this.store.releaseOutgoing(id);
    }
    return flow;
  }

  /**
   * PUBCOMP arrived: the QoS 2 flow of `id` ends (and leaves the store).
   *
   * @param id its packet identifier.
   * @returns the flow ended; `undefined` for an unknown identifier (nothing to settle,
   *   nothing lost); a protocol error when no PUBREC came before (it stays).
   */
  pubcomp(id: number): OutboundFlow<P> | MqttProtocolError | undefined {
    const flow = this.flows.get(id);
    if (flow === undefined) return undefined;
    if (!flow.released) return new MqttProtocolError(`PUBCOMP before PUBREC for message ${id}`, PROTOCOL_ERROR);
    this.end(id);
    return flow;
  }

  /**
   * The session resumed: a flow not released is sent again as a duplicate
   * (MQTT-3.3.1-1: DUP on a re-delivery, same packet identifier).
   *
   * @param flow a flow in flight.
   * @returns its PUBLISH, now with DUP set.
   */
  duplicate(flow: OutboundFlow<P>): PublishPacket {
    flow.packet = { ...flow.packet, dup: true };
    return flow.packet;
  }

  /**
   * The server lost the session: a flow starts over, as a new message (without DUP,
   * back before PUBREC: a QoS 2 message already past PUBREC may be delivered twice;
   * dropping it could lose it), and so does its record in the store.
   *
   * @param flow a flow in flight.
   * @returns the store's error, if it failed: its record is in the store already
   *   (maybe in the PUBREL phase), so it is sent regardless.
   */
  restart(flow: OutboundFlow<P>): MqttStoreError | undefined {
    if (flow.packet.dup) flow.packet = { ...flow.packet, dup: false };
    flow.released = false;
    try {
      this.store.putOutgoing(flow.packet);
    } catch (error) {
      return error as MqttStoreError;
    }
    return undefined;
  }

  /**
   * Forgets every flow (the client closed for good); the store keeps them for the
   * next process.
   *
   * @param reject called with the request of each flow of this process, in order.
   */
  drain(reject: (request: P) => void): void {
    for (const flow of this.flows.values()) {
      if (flow.request !== undefined) reject(flow.request);
    }
    this.flows.clear();
  }

  /** The flow of `id` ends: its identifier is free, its record leaves the store. */
  private end(id: number): void {
    this.flows.delete(id);
    this.store.deleteOutgoing(id);
  }
}

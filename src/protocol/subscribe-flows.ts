import type { Sub, SubscribeFlow } from './subscription-table.js';

/** An outbound UNSUBSCRIBE awaiting UNSUBACK. */
interface UnsubscribeFlow {
  readonly kind: 'unsubscribe';
  readonly filter: string;
}

/**
 * The outbound SUBSCRIBEs awaiting SUBACK and UNSUBSCRIBEs awaiting UNSUBACK, by
 * packet identifier, for this connection. A SUBSCRIBE's flow is also its
 * subscription's `pending` one while it waits: streams joining meanwhile share its
 * outcome. What to send, and what a SUBACK does to the streams, is the session's
 * business.
 *
 * @example
 * ```ts
 * const flows = new SubscribeFlows<Stream>();
 * flows.subscribe(7, sub, [stream]); // SUBSCRIBE 7 goes out; sub.pending is its flow
 * const flow = flows.suback(7);      // SUBACK 7: the flow ends, sub.pending is cleared
 * ```
 */
export class SubscribeFlows<S> {
  private readonly flows = new Map<number, SubscribeFlow<S> | UnsubscribeFlow>();

  /** The number of flows awaiting their ack. */
  get size(): number {
    return this.flows.size;
  }

  /**
   * @param id a packet identifier.
   * @returns whether a flow awaiting its ack has it.
   */
  has(id: number): boolean {
    return this.flows.has(id);
  }

  /**
   * A SUBSCRIBE for `sub` at its current QoS goes out with `id`: it becomes the
   * subscription's pending flow.
   *
   * @param id its packet identifier.
   * @param sub the subscription.
   * @param streams the streams that wait for its outcome (more may join).
   */
  subscribe(id: number, sub: Sub<S>, streams: S[]): void {
    const flow: SubscribeFlow<S> = { kind: 'subscribe', sub, qos: sub.qos, streams };
    this.flows.set(id, flow);
    sub.pending = flow;
  }

  /**
   * An UNSUBSCRIBE of `filter` goes out with `id`.
   *
   * @param id its packet identifier.
   * @param filter the topic filter.
   */
  unsubscribe(id: number, filter: string): void {
    this.flows.set(id, { kind: 'unsubscribe', filter });
  }

  /**
   * SUBACK arrived: the SUBSCRIBE of `id` ends, and is no longer its subscription's
   * pending flow.
   *
   * @param id the SUBACK's packet identifier.
   * @returns the flow ended; `undefined` when no SUBSCRIBE awaits it (then nothing changes).
   */
  suback(id: number): SubscribeFlow<S> | undefined {
    const flow = this.flows.get(id);
    if (flow === undefined || flow.kind !== 'subscribe') return undefined;
    this.flows.delete(id);
    if (flow.sub.pending === flow) flow.sub.pending = undefined;
    return flow;
  }

  /**
   * UNSUBACK arrived: the flow of `id` ends.
   *
   * @param id the UNSUBACK's packet identifier; one of a SUBSCRIBE (a confused server)
   *   is ignored, as an unknown one is: the SUBSCRIBE still waits for its SUBACK.
   */
  unsuback(id: number): void {
    if (this.flows.get(id)?.kind === 'unsubscribe') this.flows.delete(id);
  }

  /**
   * The connection ended: every flow ends unacknowledged (their subscriptions have no
   * pending SUBSCRIBE any more).
   *
   * @returns the filters of the UNSUBSCRIBEs left unacknowledged: a resumed session may
   *   still hold them.
   */
  connectionLost(): string[] {
    const unacknowledged: string[] = [];
    for (const flow of this.flows.values()) {
      if (flow.kind === 'subscribe') flow.sub.pending = undefined;
      else unacknowledged.push(flow.filter);
    }
    this.flows.clear();
    return unacknowledged;
  }
}

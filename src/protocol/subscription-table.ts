import type { QoS } from '../packets/packet.js';
import { matches } from '../packets/topic.js';
import { SubscriptionIds } from './subscription-ids.js';
import type { SubscribeOptions, TopicStream } from './topic-stream.js';
import { TopicTree } from './topic-tree.js';

/** An outbound SUBSCRIBE awaiting SUBACK; `streams` share its outcome. */
export interface SubscribeFlow<S> {
  readonly kind: 'subscribe';
  readonly sub: Sub<S>;
  readonly qos: QoS;
  readonly streams: S[];
}

/** One MQTT subscription, shared by every stream of its filter. */
export interface Sub<S> {
  readonly filter: string;
  readonly streams: Set<S>;
  /** MQTT 5 Subscription Identifier: the first stream's, or one of ours; 0 for none. */
  readonly id: number;
  /** The strongest QoS any stream asked for: what SUBSCRIBE requests. */
  qos: QoS;
  /** Options of the stream that asked for `qos`. */
  options: SubscribeOptions;
  /** QoS of the last SUBSCRIBE the server accepted in this session, or -1. */
  granted: number;
  /** The latest SUBSCRIBE awaiting SUBACK; streams joining meanwhile share its fate. */
  pending: SubscribeFlow<S> | undefined;
}

/**
 * Which `topic()` streams are subscribed to what: the MQTT subscriptions by filter and
 * by Subscription Identifier, and the streams by filter in a topic tree, kept in step,
 * for routing an incoming message to its streams. What to send about them is the
 * session's business.
 *
 * @example
 * ```ts
 * const table = new SubscriptionTable<Stream>();
 * const sub = table.create(stream, 0);
 * table.tree.match('a/b', (s) => deliver(s));
 * ```
 */
export class SubscriptionTable<S extends TopicStream> {
  /** The streams by filter, for routing by topic. */
  readonly tree = new TopicTree<S>();
  private readonly byFilter = new Map<string, Sub<S>>();
  private readonly byId = new SubscriptionIds<Sub<S>>();

  /** The number of subscriptions. */
  get size(): number {
    return this.byFilter.size;
  }

  /**
   * @param filter a topic filter.
   * @returns its subscription, if any stream has it.
   */
  get(filter: string): Sub<S> | undefined {
    return this.byFilter.get(filter);
  }

  /**
   * @param filter a topic filter.
   * @returns whether a stream has it.
   */
  has(filter: string): boolean {
    return this.byFilter.has(filter);
  }

  /** @returns every subscription, in the order made. */
  values(): IterableIterator<Sub<S>> {
    return this.byFilter.values();
  }

  /** @returns a Subscription Identifier no subscription of the table has. */
  allocateId(): number {
    return this.byId.allocate();
  }

  /**
   * A stream starts: it makes its filter's subscription, or joins it, raising what the
   * subscription asks for when the stream asks a higher QoS (with its options). A new
   * subscription's MQTT 5 Subscription Identifier is the stream's own, else one of ours
   * where `identifiers` allows.
   *
   * @example
   * ```ts
   * const sub = table.add(stream, 'any');    // a new subscription: send its SUBSCRIBE
   * table.add(sameFilterQos0, 'any');         // 'wait' (or 'subscribed' once granted)
   * ```
   * @param stream the stream.
   * @param identifiers `'none'` (MQTT 3.x), `'given'` (the stream's own only), `'any'`
   *   (its own, else one of ours: the server has identifiers).
   * @returns the subscription when a SUBSCRIBE is owed (new, or a higher QoS);
   *   `'subscribed'` when the server holds what the stream asks already; `'wait'` when
   *   a SUBSCRIBE awaiting its SUBACK, or the next connection, decides.
   */
  add(stream: S, identifiers: 'none' | 'given' | 'any'): Sub<S> | 'subscribed' | 'wait' {
    const sub = this.byFilter.get(stream.filter);
    if (sub === undefined) {
      const own = stream.options.subscriptionIdentifier;
      const id = identifiers === 'none' ? 0 : (own ?? (identifiers === 'any' ? this.allocateId() : 0));
      return this.create(stream, id);
    }
    this.join(sub, stream);
    const qos = stream.options.qos ?? 0;
    if (qos > sub.qos) {
      sub.qos = qos;
      sub.options = stream.options;
      return sub;
    }
    if (sub.pending !== undefined) {
      sub.pending.streams.push(stream);
      return 'wait';
    }
    return sub.granted >= qos ? 'subscribed' : 'wait';
  }

  /**
   * The first stream of its filter: a new subscription, asking for the stream's QoS and options.
   *
   * @param stream the stream.
   * @param id the Subscription Identifier, or 0 for none.
   * @returns the subscription.
   */
  create(stream: S, id: number): Sub<S> {
    const filter = stream.filter;
    const sub: Sub<S> = {
      filter,
      streams: new Set(),
      id,
      qos: stream.options.qos ?? 0,
      options: stream.options,
      granted: -1,
      pending: undefined,
    };
    this.byFilter.set(filter, sub);
    if (id !== 0) this.byId.add(id, sub);
    this.join(sub, stream);
    return sub;
  }

  /**
   * Another stream of the filter of `sub`.
   *
   * @param sub the subscription.
   * @param stream the stream.
   */
  join(sub: Sub<S>, stream: S): void {
    this.tree.add(sub.filter, stream);
    sub.streams.add(stream);
  }

  /**
   * A stream leaves `sub` (the subscription stays, even with no stream: see {@link remove}).
   *
   * @param sub the subscription.
   * @param stream the stream.
   * @returns `false` when it had left already.
   */
  leave(sub: Sub<S>, stream: S): boolean {
    if (!sub.streams.delete(stream)) return false;
    this.tree.delete(sub.filter, stream);
    return true;
  }

  /**
   * A subscription leaves the table (its streams have left).
   *
   * @param sub the subscription.
   */
  remove(sub: Sub<S>): void {
    this.byFilter.delete(sub.filter);
    if (sub.id !== 0) this.byId.delete(sub.id, sub);
  }

  /**
   * A stronger request for `sub` was refused: it asks again for what the streams it
   * has left ask for, the highest QoS among them with that stream's options (the
   * first such stream's). Nothing changes when no stream is left.
   *
   * @param sub the subscription.
   */
  downgrade(sub: Sub<S>): void {
    let strongest: S | undefined;
    for (const stream of sub.streams) {
      if (strongest === undefined || (stream.options.qos ?? 0) > (strongest.options.qos ?? 0)) strongest = stream;
    }
    if (strongest === undefined) return;
    sub.qos = strongest.options.qos ?? 0;
    sub.options = strongest.options;
  }

  /**
   * Visits the streams of the subscriptions an incoming message's identifiers name
   * (MQTT-3.3.4-3, MQTT-3.3.4-4), when one of them still has that identifier for a
   * matching filter (an identifier of an earlier process's subscription may mean
   * nothing now).
   *
   * @param ids the message's Subscription Identifiers.
   * @param topic its topic.
   * @param visit called for each stream.
   * @returns whether it reached a subscription; if not, the topic tree decides.
   */
  routeByIds(ids: number | number[], topic: string, visit: (stream: S) => void): boolean {
    if (this.byId.size === 0) return false;
    if (typeof ids === 'number') return this.routeById(ids, topic, visit);
    let routed = false;
    for (const id of ids) if (this.routeById(id, topic, visit)) routed = true;
    return routed;
  }

  private routeById(id: number, topic: string, visit: (stream: S) => void): boolean {
    const same = this.byId.get(id);
    if (same === undefined) return false;
    let routed = false;
    for (const sub of same) {
      if (!matches(sub.filter, topic)) continue;
      routed = true;
      for (const stream of sub.streams) visit(stream);
    }
    return routed;
  }
}

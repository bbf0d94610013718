import { SubscriptionTable } from '../../src/protocol/subscription-table.js';
import type { SubscribeOptions, TopicStream } from '../../src/protocol/topic-stream.js';

const stream = (filter: string, options: SubscribeOptions = {}): TopicStream => ({ filter, options });
const routed = (table: SubscriptionTable<TopicStream>, topic: string): TopicStream[] => {
  const out: TopicStream[] = [];
  table.tree.match(topic, (s) => out.push(s));
  return out;
};

describe('SubscriptionTable', () => {
  it('a subscription per filter, asking for its first stream\'s QoS and options; streams join and leave it and the tree together', () => {
    const t = new SubscriptionTable<TopicStream>();
    const a = stream('a/+', { qos: 1 });
    const b = stream('a/+');
    const sub = t.create(a, 0);
    expect(sub).toMatchObject({ filter: 'a/+', id: 0, qos: 1, options: { qos: 1 }, granted: -1, pending: undefined });
    t.join(sub, b);
    expect(t.get('a/+')).toBe(sub);
    expect(routed(t, 'a/x')).toEqual([a, b]);
    expect(t.leave(sub, a)).toBe(true);
    expect(t.leave(sub, a)).toBe(false);
    expect(routed(t, 'a/x')).toEqual([b]);
    t.leave(sub, b);
    expect(t.has('a/+')).toBe(true); // until removed
    t.remove(sub);
    expect(t.has('a/+')).toBe(false);
    expect([...t.values()]).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('downgrade: after a stronger request is refused, the subscription asks for what its streams left ask for', () => {
    const t = new SubscriptionTable<TopicStream>();
    const a = stream('a', { qos: 1, noLocal: true });
    const b = stream('a', { qos: 1 });
    const c = stream('a', { qos: 2 });
    const sub = t.create(a, 0);
    t.join(sub, b);
    t.join(sub, c);
    sub.qos = 2;
    sub.options = c.options;
    t.leave(sub, c); // the stream asking for QoS 2 failed
    t.downgrade(sub);
    expect([sub.qos, sub.options]).toEqual([1, a.options]); // the first stream with the highest QoS
    t.leave(sub, a);
    t.leave(sub, b);
    t.downgrade(sub); // no stream left: unchanged
    expect([sub.qos, sub.options]).toEqual([1, a.options]);
  });

  it('MQTT-3.3.4-3 / -4: identifiers route to the subscriptions that have them for a matching filter', () => {
    const t = new SubscriptionTable<TopicStream>();
    const a = stream('a/#');
    const b = stream('b/#');
    const c = stream('a/b');
    t.create(a, 1);
    t.create(b, 2);
    t.create(c, 0);
    const visit = (out: TopicStream[]) => (s: TopicStream) => out.push(s);
    let out: TopicStream[] = [];
    expect(t.routeByIds(1, 'a/b', visit(out))).toBe(true);
    expect(out).toEqual([a]);
    out = [];
    expect(t.routeByIds([1, 2], 'a/b', visit(out))).toBe(true); // 2 is for b/#: no match
    expect(out).toEqual([a]);
    expect(t.routeByIds(2, 'a/b', visit((out = [])))).toBe(false); // the tree decides
    expect(t.routeByIds(9, 'a/b', visit((out = [])))).toBe(false);
  });

  it('allocates identifiers no subscription has, and forgets a removed one', () => {
    const t = new SubscriptionTable<TopicStream>();
    const id = t.allocateId();
    const sub = t.create(stream('x'), id);
    expect(t.allocateId()).not.toBe(id);
    t.remove(sub);
    expect(t.routeByIds(id, 'x', () => undefined)).toBe(false);
  });

  it('add: the first stream of a filter makes its subscription (a SUBSCRIBE is owed)', () => {
    const t = new SubscriptionTable<TopicStream>();
    const a = stream('a/#', { qos: 1 });
    const sub = t.add(a, 'none');
    expect(sub).toMatchObject({ filter: 'a/#', id: 0, qos: 1, granted: -1 });
    expect(t.get('a/#')).toBe(sub);
    expect(routed(t, 'a/x')).toEqual([a]);
  });

  it('add: MQTT 5 identifiers, the stream\'s own, else ours only where the server has them', () => {
    const t = new SubscriptionTable<TopicStream>();
    expect(t.add(stream('own', { subscriptionIdentifier: 42 }), 'given')).toMatchObject({ id: 42 });
    expect(t.add(stream('none'), 'given')).toMatchObject({ id: 0 });
    const ours = t.add(stream('ours'), 'any') as { id: number };
    expect(ours.id).toBeGreaterThan(0);
    expect(ours.id).not.toBe(42);
    expect(t.add(stream('own2', { subscriptionIdentifier: 7 }), 'any')).toMatchObject({ id: 7 });
    expect(t.add(stream('v3', { subscriptionIdentifier: 7 }), 'none')).toMatchObject({ id: 0 });
  });

  it('add: a stream asking a higher QoS raises the subscription to it, with its options (a SUBSCRIBE is owed)', () => {
    const t = new SubscriptionTable<TopicStream>();
    const sub = t.add(stream('a', { qos: 0 }), 'none');
    const stronger = stream('a', { qos: 2, noLocal: true });
    expect(t.add(stronger, 'none')).toBe(sub);
    expect(sub).toMatchObject({ qos: 2, options: { qos: 2, noLocal: true } });
    expect(routed(t, 'a')).toHaveLength(2);
  });

  it('add: a stream asking no more joins; it waits for a pending SUBSCRIBE, or for one, unless the server granted enough', () => {
    const t = new SubscriptionTable<TopicStream>();
    const sub = t.add(stream('a', { qos: 1 }), 'none');
    if (typeof sub === 'string') throw new Error('expected a subscription');
    expect(t.add(stream('a'), 'none')).toBe('wait'); // not granted yet, nothing pending (offline)
    const pending = { kind: 'subscribe' as const, sub, qos: 1 as const, streams: [] as TopicStream[] };
    sub.pending = pending;
    const joining = stream('a', { qos: 1 });
    expect(t.add(joining, 'none')).toBe('wait');
    expect(pending.streams).toEqual([joining]); // it shares the pending SUBSCRIBE's fate
    sub.pending = undefined;
    sub.granted = 1;
    expect(t.add(stream('a', { qos: 1 }), 'none')).toBe('subscribed');
    sub.granted = 0;
    expect(t.add(stream('a', { qos: 1 }), 'none')).toBe('wait'); // granted less than asked, the SUBACK said so
    expect(sub.streams.size).toBe(5);
  });
});

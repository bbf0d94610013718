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
});

import { SubscribeFlows } from '../../src/protocol/subscribe-flows.js';
import { SubscriptionTable } from '../../src/protocol/subscription-table.js';
import type { TopicStream } from '../../src/protocol/topic-stream.js';

const stream = (filter: string, qos: 0 | 1 | 2 = 0): TopicStream => ({ filter, options: { qos } });

describe('SubscribeFlows', () => {
  it('a SUBSCRIBE awaits its SUBACK as its subscription\'s pending flow, at the QoS it asked for', () => {
    const table = new SubscriptionTable<TopicStream>();
    const s = stream('a', 1);
    const sub = table.create(s, 0);
    const flows = new SubscribeFlows<TopicStream>();
    flows.subscribe(7, sub, [s]);
    expect(flows.has(7)).toBe(true);
    expect(flows.size).toBe(1);
    expect(sub.pending).toEqual({ kind: 'subscribe', sub, qos: 1, streams: [s] });
    sub.qos = 2; // asked again, stronger: the flow keeps what it asked for
    const flow = flows.suback(7);
    expect(flow).toMatchObject({ qos: 1, streams: [s] });
    expect(sub.pending).toBeUndefined();
    expect(flows.has(7)).toBe(false);
    expect(flows.suback(7)).toBeUndefined(); // a repeated SUBACK
  });

  it('a SUBACK for an older SUBSCRIBE leaves the newer one pending', () => {
    const table = new SubscriptionTable<TopicStream>();
    const sub = table.create(stream('a'), 0);
    const flows = new SubscribeFlows<TopicStream>();
    flows.subscribe(1, sub, []);
    flows.subscribe(2, sub, []);
    const newer = sub.pending;
    expect(flows.suback(1)).toBeDefined();
    expect(sub.pending).toBe(newer);
  });

  it('an UNSUBSCRIBE awaits its UNSUBACK; a SUBACK with its id is not for it', () => {
    const flows = new SubscribeFlows<TopicStream>();
    flows.unsubscribe(3, 'a/#');
    expect(flows.suback(3)).toBeUndefined();
    expect(flows.has(3)).toBe(true);
    flows.unsuback(3);
    expect([flows.has(3), flows.size]).toEqual([false, 0]);
  });

  it('a SUBSCRIBE is not ended by an UNSUBACK with its id (a confused server): it stays pending for its SUBACK', () => {
    const table = new SubscriptionTable<TopicStream>();
    const sub = table.create(stream('a'), 0);
    const flows = new SubscribeFlows<TopicStream>();
    flows.subscribe(4, sub, []);
    const pending = sub.pending;
    flows.unsuback(4);
    expect([flows.has(4), sub.pending]).toEqual([true, pending]);
    expect(flows.suback(4)).toBe(pending);
    expect(sub.pending).toBeUndefined();
  });

  it('connection lost: every flow ends; no SUBSCRIBE is pending; the unacknowledged UNSUBSCRIBEs\' filters come back', () => {
    const table = new SubscriptionTable<TopicStream>();
    const sub = table.create(stream('a'), 0);
    const flows = new SubscribeFlows<TopicStream>();
    flows.unsubscribe(1, 'x');
    flows.subscribe(2, sub, []);
    flows.unsubscribe(3, 'y');
    expect(flows.connectionLost()).toEqual(['x', 'y']);
    expect(sub.pending).toBeUndefined();
    expect(flows.size).toBe(0);
    expect(flows.connectionLost()).toEqual([]);
  });
});

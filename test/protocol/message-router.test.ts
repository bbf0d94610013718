import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import { MessageRouter } from '../../src/protocol/message-router.js';
import { SubscriptionTable } from '../../src/protocol/subscription-table.js';
import type { SubscribeOptions, TopicStream } from '../../src/protocol/topic-stream.js';

interface Stream extends TopicStream {
  readonly name: string;
}

function stream(name: string, filter: string, options: SubscribeOptions = {}): Stream {
  return { name, filter, options };
}

function message(topic: string, qos: 0 | 1 | 2 = 0): MqttMessage {
  return { topic, payload: new Uint8Array([1]), qos, retain: false, dup: false };
}

function setup() {
  const deliveries: [string, MqttMessage, number | undefined][] = [];
  const router = new MessageRouter<Stream>({
    deliver: (s, m, receipt) => deliveries.push([s.name, m, receipt]),
  });
  return { router, deliveries, table: new SubscriptionTable<Stream>() };
}

describe('MessageRouter', () => {
  it('delivers to every stream whose filter matches the topic, once each, without a receipt at QoS 0', () => {
    const { router, deliveries, table } = setup();
    table.create(stream('a', 'x/+'), 0);
    const hash = table.create(stream('b', 'x/#'), 0);
    table.join(hash, stream('c', 'x/#', { ack: 'manual' }));
    table.create(stream('d', 'y/#'), 0);
    const m = message('x/1');
    expect(router.route(table, m, undefined, 0)).toBeUndefined();
    expect(deliveries.map(([name]) => name).sort()).toEqual(['a', 'b', 'c']);
    expect(deliveries.every(([, delivered, receipt]) => delivered === m && receipt === undefined)).toBe(true);
  });

  it('QoS 1/2: manual-ack streams get the receipt and are returned; automatic ones get none', () => {
    const { router, deliveries, table } = setup();
    const manual = stream('m', 'x/#', { ack: 'manual' });
    const sub = table.create(manual, 0);
    table.join(sub, stream('auto', 'x/#'));
    const waiting = router.route(table, message('x/1', 1), undefined, 7);
    expect(waiting).toEqual(new Set([manual]));
    expect(deliveries.map(([name, , receipt]) => [name, receipt])).toEqual([
      ['m', 7],
      ['auto', undefined],
    ]);
  });

  it('QoS 1/2 reaching no manual-ack stream: nothing to wait for', () => {
    const { router, table } = setup();
    table.create(stream('auto', 'x/#'), 0);
    expect(router.route(table, message('x/1', 1), undefined, 3)).toBeUndefined();
  });

  it('forgets the message once routed: the next one starts afresh', () => {
    const { router, deliveries, table } = setup();
    const manual = stream('m', 'x/#', { ack: 'manual' });
    table.create(manual, 0);
    expect(router.route(table, message('x/1', 1), undefined, 1)).toEqual(new Set([manual]));
    expect(router.route(table, message('x/2', 0), undefined, 0)).toBeUndefined();
    expect(deliveries[1]).toEqual(['m', message('x/2', 0), undefined]);
  });

  it('MQTT-3.3.4-3 / MQTT-3.3.4-4: the Subscription Identifiers say which subscriptions the copy is for', () => {
    const { router, deliveries, table } = setup();
    table.create(stream('one', 'x/+'), 1);
    table.create(stream('two', 'x/#'), 2);
    router.route(table, message('x/1'), 2, 0);
    expect(deliveries.map(([name]) => name)).toEqual(['two']);
    deliveries.length = 0;
    router.route(table, message('x/1'), [1, 2], 0);
    expect(deliveries.map(([name]) => name)).toEqual(['one', 'two']);
  });

  it('identifiers that name no matching subscription: the topic decides', () => {
    const { router, deliveries, table } = setup();
    table.create(stream('one', 'x/+'), 1);
    table.create(stream('other', 'y/#'), 2);
    router.route(table, message('x/1'), [2, 9], 0);
    expect(deliveries.map(([name]) => name)).toEqual(['one']);
  });
});

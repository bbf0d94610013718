import { subscribePacket } from '../../src/protocol/subscribe-packet.js';

describe('subscribePacket', () => {
  it('MQTT 3.x: the filter and QoS only, whatever the options', () => {
    expect(subscribePacket('a/#', 1, { noLocal: true, userProperties: { k: 'v' } }, 0, 4)).toEqual({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: 'a/#', qos: 1 }],
    });
  });

  it('MQTT 5: the subscription options, with their defaults', () => {
    expect(subscribePacket('a', 2, { noLocal: true, retainAsPublished: true, retainHandling: 2 }, 0, 5)).toEqual({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: 'a', qos: 2, nl: true, rap: true, rh: 2 }],
    });
    expect(subscribePacket('a', 0, {}, 0, 5).subscriptions[0]).toEqual({ topic: 'a', qos: 0, nl: false, rap: false, rh: 0 });
  });

  it('MQTT 5: the Subscription Identifier when not 0, and the user properties', () => {
    expect(subscribePacket('a', 0, {}, 9, 5).properties).toEqual({ subscriptionIdentifier: 9 });
    expect(subscribePacket('a', 0, { userProperties: { k: 'v' } }, 0, 5).properties).toEqual({ userProperties: { k: 'v' } });
    expect(subscribePacket('a', 0, {}, 0, 5).properties).toBeUndefined();
  });
});

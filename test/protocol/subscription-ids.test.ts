import { SubscriptionIds } from '../../src/protocol/subscription-ids.js';
import { subscribeRefusal } from '../../src/protocol/subscribe-refusal.js';
import { MqttCapabilityError } from '../../src/protocol/errors.js';

describe('SubscriptionIds', () => {
  it('allocates identifiers no live subscription has, and finds the subscriptions of one', () => {
    const ids = new SubscriptionIds<string>();
    ids.add(2, 'user');
    expect([ids.allocate(), ids.allocate()]).toEqual([1, 3]);
    ids.add(1, 'a');
    ids.add(1, 'b'); // the application reused 1
    expect(ids.get(1)).toEqual(['a', 'b']);
    ids.delete(1, 'a');
    ids.delete(1, 'b');
    expect(ids.get(1)).toBeUndefined();
    expect(ids.size).toBe(1);
  });
});

describe('subscribeRefusal (MQTT 5 3.2.2.3.12–14)', () => {
  const all = { wildcardSubscriptionAvailable: true, sharedSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true };

  it.each([
    ['a/+', {}, { wildcardSubscriptionAvailable: false }, 'wildcardSubscriptionAvailable', 0xa2],
    ['#', {}, { wildcardSubscriptionAvailable: false }, 'wildcardSubscriptionAvailable', 0xa2],
    ['$share/g/a', {}, { sharedSubscriptionAvailable: false }, 'sharedSubscriptionAvailable', 0x9e],
    ['a', { subscriptionIdentifier: 1 }, { subscriptionIdentifiersAvailable: false }, 'subscriptionIdentifiersAvailable', 0xa1],
  ] as const)('%s %j with %j: %s (%i)', (filter, options, caps, capability, code) => {
    const error = subscribeRefusal(filter, options, { ...all, ...caps });
    expect(error).toBeInstanceOf(MqttCapabilityError);
    expect(error).toMatchObject({ capability, reasonCode: code });
  });

  it.each([
    ['a/b', {}, { wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false }],
    ['$share/g/+', {}, { ...all }],
  ] as const)('%s %j with %j: allowed', (filter, options, caps) => {
    expect(subscribeRefusal(filter, options, caps)).toBeUndefined();
  });
});

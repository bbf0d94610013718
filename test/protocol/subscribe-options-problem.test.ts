import { subscribeOptionsProblem } from '../../src/protocol/subscribe-options-problem.js';
import type { SubscribeOptions } from '../../src/protocol/topic-stream.js';

const bad = <T>(value: unknown): T => value as T;

describe('subscribeOptionsProblem (MQTT 5 subscription options, checked before sending)', () => {
  it('accepts every valid combination, and anything in 3.x (which sends none of them)', () => {
    const ok: SubscribeOptions[] = [
      {},
      { noLocal: true, retainAsPublished: true, retainHandling: 2, subscriptionIdentifier: 268435455 },
      { userProperties: { a: 'b', c: ['d', 'e'] }, unsubscribeUserProperties: { bye: 'now' } },
    ];
    for (const options of ok) expect(subscribeOptionsProblem('a/#', options, 5)).toBeUndefined();
    expect(subscribeOptionsProblem('$share/g/a', { retainHandling: bad(7) }, 4)).toBeUndefined();
  });

  it('3.8.3.1: retainHandling outside 0..2 and a subscriptionIdentifier outside 1..268435455 are RangeErrors', () => {
    expect(subscribeOptionsProblem('a', { retainHandling: bad(3) }, 5)).toEqual(new RangeError('retainHandling must be 0, 1 or 2, not 3'));
    for (const id of [0, -1, 1.5, 268435456]) {
      expect(subscribeOptionsProblem('a', { subscriptionIdentifier: id }, 5)).toEqual(
        new RangeError(`subscriptionIdentifier must be an integer in 1..268435455, not ${id}`),
      );
    }
  });

  it('non-boolean flags and properties that cannot be encoded are TypeErrors', () => {
    expect(subscribeOptionsProblem('a', { noLocal: bad('yes') }, 5)).toEqual(new TypeError('noLocal must be a boolean, not yes'));
    expect(subscribeOptionsProblem('a', { retainAsPublished: bad(1) }, 5)).toEqual(new TypeError('retainAsPublished must be a boolean, not 1'));
    expect(subscribeOptionsProblem('a', { userProperties: { n: bad(5) } }, 5)).toBeInstanceOf(TypeError);
    expect(subscribeOptionsProblem('a', { unsubscribeUserProperties: { n: bad(5) } }, 5)).toBeInstanceOf(TypeError);
  });

  it('MQTT-3.8.3-4: No Local on a shared subscription is a TypeError', () => {
    expect(subscribeOptionsProblem('$share/g/a/#', { noLocal: true }, 5)).toEqual(
      new TypeError('noLocal cannot be set on the shared subscription $share/g/a/# (MQTT-3.8.3-4)'),
    );
    expect(subscribeOptionsProblem('$share/g/a/#', { noLocal: false }, 5)).toBeUndefined();
  });
});

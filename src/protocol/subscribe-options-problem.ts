import { encodingProblem } from '../packets/encoding-problem.js';
import type { ProtocolVersion } from '../packets/packet.js';
import { subscribePacket } from './subscribe-packet.js';
import { SUBSCRIPTION_ID_MAX } from './subscription-ids.js';
import { unsubscribePacket } from './unsubscribe-packet.js';
import type { SubscribeOptions } from './topic-stream.js';

/**
 * What is wrong with the MQTT 5 options of a `topic()` stream, if anything, checked
 * before anything is sent: a SUBSCRIBE or UNSUBSCRIBE that cannot be encoded would
 * otherwise fail on the connection, and again after every reconnect. 3.x sends none of
 * these options, so nothing is checked there.
 *
 * @example
 * ```ts
 * subscribeOptionsProblem('a/#', { retainHandling: 3 as 0 }, 5); // RangeError: retainHandling must be 0, 1 or 2 …
 * subscribeOptionsProblem('$share/g/a', { noLocal: true }, 5);   // TypeError: … (MQTT-3.8.3-4)
 * ```
 * @param filter the filter subscribed to (named wildcards already stripped).
 * @param options the stream's options.
 * @param version the protocol version.
 * @returns a `RangeError` for a value out of range, a `TypeError` for one of the wrong
 *   kind (or No Local on a shared subscription); `undefined` when they may be sent.
 */
export function subscribeOptionsProblem(filter: string, options: SubscribeOptions, version: ProtocolVersion): RangeError | TypeError | undefined {
  if (version !== 5) return undefined;
  const { noLocal, retainAsPublished, retainHandling, subscriptionIdentifier: id } = options;
  if (noLocal !== undefined && typeof noLocal !== 'boolean') return new TypeError(`noLocal must be a boolean, not ${String(noLocal)}`);
  if (retainAsPublished !== undefined && typeof retainAsPublished !== 'boolean') {
    return new TypeError(`retainAsPublished must be a boolean, not ${String(retainAsPublished)}`);
  }
  if (retainHandling !== undefined && retainHandling !== 0 && retainHandling !== 1 && retainHandling !== 2) {
    return new RangeError(`retainHandling must be 0, 1 or 2, not ${String(retainHandling)}`);
  }
  if (id !== undefined && (!Number.isInteger(id) || id < 1 || id > SUBSCRIPTION_ID_MAX)) {
    return new RangeError(`subscriptionIdentifier must be an integer in 1..${SUBSCRIPTION_ID_MAX}, not ${String(id)}`);
  }
  if (noLocal === true && filter.startsWith('$share/')) {
    return new TypeError(`noLocal cannot be set on the shared subscription ${filter} (MQTT-3.8.3-4)`);
  }
  const what = `topic(${filter}) options`;
  const userProperties = options.unsubscribeUserProperties;
  return (
    encodingProblem(subscribePacket(filter, 0, options, id ?? 0, 5), 5, what) ??
    (userProperties === undefined ? undefined : encodingProblem(unsubscribePacket(filter, userProperties), 5, what))
  );
}

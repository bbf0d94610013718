import { encodingProblem } from '../packets/encoding-problem.js';
import type { DisconnectPacket, ProtocolVersion, UserProperties } from '../packets/packet.js';
import { isReasonCodeAllowed } from '../packets/reason-codes.js';

/** What `end()` asks of its DISCONNECT (MQTT 5). */
export interface DisconnectRequest {
  /** The reason code; default 0 (normal disconnection). */
  readonly reasonCode?: number;
  /** A new Session Expiry Interval, seconds. */
  readonly sessionExpiryInterval?: number;
  /** A Reason String for the server's logs. */
  readonly reasonString?: string;
  /** User Properties. */
  readonly userProperties?: UserProperties;
}

/**
 * The DISCONNECT of `end()`: in MQTT 5 with the reason code, the reason string and
 * user properties, and, when allowed, a new Session Expiry Interval.
 *
 * @example
 * ```ts
 * disconnectPacket(5, { sessionExpiryInterval: 60 }, 0); // { cmd: 'disconnect', reasonCode: 0 } (0 → 60 is a Protocol Error)
 * disconnectPacket(5, { reasonCode: 4, sessionExpiryInterval: 0 }, 3600);
 * // { cmd: 'disconnect', reasonCode: 4, properties: { sessionExpiryInterval: 0 } }
 * ```
 * @param version the protocol version of the connection.
 * @param request what `end()` was given.
 * @param inForce the Session Expiry Interval in force.
 * @returns the packet.
 */
export function disconnectPacket(version: ProtocolVersion, request: DisconnectRequest, inForce: number): DisconnectPacket {
  if (version !== 5) return { cmd: 'disconnect' };
  const packet: DisconnectPacket = { cmd: 'disconnect', reasonCode: request.reasonCode ?? 0 };
  const { sessionExpiryInterval: expiry, reasonString, userProperties } = request;
  // 3.14.2.2.2: a non-zero interval after a CONNECT with 0 is a Protocol Error: not sent.
  const properties: DisconnectPacket['properties'] = {};
  if (expiry !== undefined && disconnectExpiryRefusal(version, inForce, expiry) === undefined) properties.sessionExpiryInterval = expiry;
  if (reasonString !== undefined) properties.reasonString = reasonString;
  if (userProperties !== undefined) properties.userProperties = userProperties;
  if (Object.keys(properties).length > 0) packet.properties = properties;
  return packet;
}

/**
 * What a later `end()` (a forced one after a graceful one) makes of the DISCONNECT the
 * first asked for: its defined fields replace those of the earlier request, its
 * `undefined` ones hide nothing.
 *
 * @example
 * ```ts
 * mergeDisconnectRequests({ reasonCode: 4, reasonString: 'bye' }, { reasonCode: undefined, reasonString: 'now' });
 * // { reasonCode: 4, reasonString: 'now' }
 * ```
 * @param earlier what was asked so far.
 * @param later what the new call asks.
 * @returns the request in force.
 */
export function mergeDisconnectRequests(earlier: DisconnectRequest, later: DisconnectRequest): DisconnectRequest {
  const merged: { -readonly [K in keyof DisconnectRequest]: DisconnectRequest[K] } = { ...earlier };
  if (later.reasonCode !== undefined) merged.reasonCode = later.reasonCode;
  if (later.sessionExpiryInterval !== undefined) merged.sessionExpiryInterval = later.sessionExpiryInterval;
  if (later.reasonString !== undefined) merged.reasonString = later.reasonString;
  if (later.userProperties !== undefined) merged.userProperties = later.userProperties;
  return merged;
}

/**
 * Why a DISCONNECT may not carry `sessionExpiryInterval`, if it may not: MQTT 5
 * 3.14.2.2.2 forbids a non-zero value when the interval in force is 0 (the same rule
 * {@link disconnectPacket} applies by leaving it out).
 *
 * @example
 * ```ts
 * disconnectExpiryRefusal(5, 0, 60);    // 'sessionExpiryInterval: the Session Expiry Interval in force is 0, …'
 * disconnectExpiryRefusal(5, 3600, 60); // undefined
 * ```
 * @param version the protocol version of the connection.
 * @param inForce the Session Expiry Interval in force, seconds.
 * @param asked the value asked for, seconds.
 * @returns the reason, or `undefined` when it may be sent.
 */
export function disconnectExpiryRefusal(version: ProtocolVersion, inForce: number, asked: number): string | undefined {
  if (version !== 5 || inForce !== 0 || asked === 0) return undefined;
  return 'sessionExpiryInterval: the Session Expiry Interval in force is 0, so DISCONNECT cannot set one (MQTT 5 3.14.2.2.2); it was not sent';
}

/** What of an `end()` request a DISCONNECT may carry, and what is wrong with the rest. */
export interface CheckedDisconnect {
  /** The request without the values that may not be sent (empty in 3.x, which sends none). */
  readonly request: DisconnectRequest;
  /** The first problem found, if any: `RangeError` for a value out of range, `TypeError` for properties that cannot be encoded. */
  readonly problem: RangeError | TypeError | undefined;
}

/**
 * Checks what `end()` asks of its DISCONNECT before the client ends: a reason code the
 * packet may carry (3.14.2.1), a Session Expiry Interval that is a 32-bit integer and
 * allowed by the one in force (3.14.2.2.2), and properties that can be encoded. What
 * fails is left out; the client still ends.
 *
 * @example
 * ```ts
 * checkDisconnectRequest(5, { reasonCode: 0x10, reasonString: 'bye' }, 0);
 * // { request: { reasonString: 'bye' }, problem: RangeError('end() reasonCode was not sent: …') }
 * ```
 * @param version the protocol version of the connection.
 * @param request what `end()` was given.
 * @param inForce the Session Expiry Interval in force, seconds.
 * @returns the request to keep, and the problem to report.
 */
export function checkDisconnectRequest(version: ProtocolVersion, request: DisconnectRequest, inForce: number): CheckedDisconnect {
  if (version !== 5) return { request: {}, problem: undefined };
  const { reasonCode, sessionExpiryInterval: expiry, reasonString, userProperties } = request;
  const kept: { -readonly [K in keyof DisconnectRequest]: DisconnectRequest[K] } = {};
  const problems: Array<RangeError | TypeError> = [];
  if (reasonCode !== undefined) {
    if (isReasonCodeAllowed(reasonCode, 'disconnect')) kept.reasonCode = reasonCode;
    else problems.push(new RangeError(`end() reasonCode was not sent: ${String(reasonCode)} is not a DISCONNECT reason code`));
  }
  if (expiry !== undefined) {
    const refusal =
      !Number.isInteger(expiry) || expiry < 0 || expiry > 4294967295
        ? `sessionExpiryInterval must be an integer in 0..4294967295, not ${String(expiry)}`
        : disconnectExpiryRefusal(version, inForce, expiry);
    if (refusal === undefined) kept.sessionExpiryInterval = expiry;
    else problems.push(new RangeError(refusal));
  }
  if (reasonString !== undefined || userProperties !== undefined) {
    const packet: DisconnectPacket = { cmd: 'disconnect', reasonCode: 0, properties: { reasonString, userProperties } };
    const bad = encodingProblem(packet, 5, 'end() properties were not sent');
    if (bad !== undefined) problems.push(bad);
    else {
      if (reasonString !== undefined) kept.reasonString = reasonString;
      if (userProperties !== undefined) kept.userProperties = userProperties;
    }
  }
  return { request: kept, problem: problems[0] };
}

import { RECEIVE_MAXIMUM_DEFAULT } from './server-limits.js';
import type { SessionConfig } from './session-config.js';

/**
 * Our Receive Maximum as the client enforces it on the server (MQTT-3.3.4-9): the one
 * our MQTT 5 CONNECT sends, when below 65535 and not turned off by
 * `enforceReceiveMaximum: false`; otherwise 0 (nothing enforced, as in MQTT 3.x).
 *
 * @example
 * ```ts
 * enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 10 } }); // 10
 * enforcedReceiveMaximum({ protocolVersion: 5 });                                      // 0 (65535)
 * enforcedReceiveMaximum({ protocolVersion: 4, properties: { receiveMaximum: 10 } }); // 0
 * ```
 * @param config the session's options.
 * @returns the limit, or 0 for none.
 */
export function enforcedReceiveMaximum(config: Pick<SessionConfig, 'protocolVersion' | 'properties' | 'enforceReceiveMaximum'>): number {
  if (config.protocolVersion !== 5 || config.enforceReceiveMaximum === false) return 0;
  const receiveMaximum = config.properties?.receiveMaximum ?? RECEIVE_MAXIMUM_DEFAULT;
  return receiveMaximum < RECEIVE_MAXIMUM_DEFAULT ? receiveMaximum : 0;
}

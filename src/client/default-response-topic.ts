import type { ConnackPacket } from '../packets/packet.js';
import { validateTopicName } from '../packets/topic.js';

/** Where replies go below the server's Response Information. */
const BELOW_RESPONSE_INFORMATION = 'rx-mqtt/response';
/** Where replies go when the server gave no Response Information: this, then the client id. */
const CLIENT_ID_PREFIX = 'rx-mqtt/response/';

/**
 * The response topic `request()` uses when it is given none, for one client:
 *
 * - below the server's Response Information (MQTT 5 CONNACK, sent when CONNECT had
 *   `requestResponseInformation`), which the server reserves for this client:
 *   `${responseInformation}/rx-mqtt/response`;
 * - else `rx-mqtt/response/${clientId}`, with the client id the server assigned, if
 *   it did, and any `+` or `#` in it (not allowed in a topic name) turned into `_`.
 *
 * @example
 * ```ts
 * defaultResponseTopic({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, 'lamp-1'); // 'rx-mqtt/response/lamp-1'
 * ```
 * @param connack the CONNACK that accepted the connection.
 * @param clientId the client id CONNECT carried (`''` when the server was to assign one).
 * @param fallback an id to use when there is neither a client id nor an assigned one.
 * @returns a topic name.
 */
export function defaultResponseTopic(connack: ConnackPacket, clientId: string, fallback = 'anonymous'): string {
  const information = connack.properties?.responseInformation;
  if (information !== undefined && information !== '') {
    const topic = `${information.endsWith('/') ? information : `${information}/`}${BELOW_RESPONSE_INFORMATION}`;
    // A server's Response Information is only a hint: one that makes no topic name is passed over.
    if (validateTopicName(topic) === undefined) return topic;
  }
  const id = connack.properties?.assignedClientIdentifier ?? clientId;
  return CLIENT_ID_PREFIX + (id === '' ? fallback : id.replace(/[+#]/g, '_'));
}

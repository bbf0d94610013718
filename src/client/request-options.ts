import type { PublishProperties, QoS } from '../packets/packet.js';

/**
 * Options of {@link MqttClient.request} (MQTT 5 request / response).
 *
 * @example
 * ```ts
 * client.request('lamp/get', '', { qos: 1, timeout: 5000, properties: { contentType: 'text/plain' } });
 * ```
 */
export interface RequestOptions {
  /** QoS of the request message; default 0. */
  qos?: QoS;
  /**
   * MQTT 5 properties of the request message. `responseTopic` and `correlationData`
   * are the request's own: giving either fails the request with a `TypeError` (choose
   * the response topic with {@link RequestOptions.responseTopic}).
   */
  properties?: Omit<PublishProperties, 'responseTopic' | 'correlationData'>;
  /**
   * Milliseconds, from the subscription, to wait for the response (the response
   * subscription and the offline queue included) before failing with
   * `MqttTimeoutError`; `Infinity` waits for ever. Default 30000.
   */
  timeout?: number;
  /**
   * Where the responder is to reply (no wildcards, MQTT-3.3.2-14). The client
   * subscribes to it before the first request that names it and stays subscribed
   * until it ends. Default: one topic per client, below the server's Response
   * Information when it gave one, else `rx-mqtt/response/<clientId>`. A filter a
   * `topic()` stream of this client already holds is fine: the request goes out on the
   * subscription the server granted it.
   */
  responseTopic?: string;
}

import { InjectionToken } from '@angular/core';
import type { ClientOptions } from '../index.browser.js';

/**
 * Where {@link MqttService} connects: the arguments of `connect(url, options)`.
 *
 * @example
 * ```ts
 * const config: MqttConfig = { url: 'wss://broker.example/mqtt', options: { protocolVersion: 5 } };
 * ```
 */
export interface MqttConfig {
  /** The broker URL: `ws:` / `wss:` in the browser, any scheme with `options.transport`. */
  url: string | URL;
  /** Client options (see `ClientOptions`); `transport` picks e.g. `tcp()` on a server. */
  options?: ClientOptions;
}

/**
 * The {@link MqttConfig} of the injector's {@link MqttService}; set by
 * {@link provideMqtt}. Read when the service is created, not before.
 *
 * @example
 * ```ts
 * const url = inject(MQTT_CONFIG).url;
 * ```
 */
export const MQTT_CONFIG = new InjectionToken<MqttConfig>('rx-mqtt MQTT_CONFIG');

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { MQTT_CONFIG, type MqttConfig } from './mqtt-config.js';
import { MqttService } from './mqtt-service.js';

/**
 * Providers of one MQTT client: {@link MQTT_CONFIG} and {@link MqttService}, for
 * `bootstrapApplication`, a route's `providers` or `TestBed`. Each environment
 * injector that gets them has its own client, connected on first use and ended when
 * the injector is destroyed.
 *
 * @example
 * ```ts
 * bootstrapApplication(App, {
 *   providers: [provideZonelessChangeDetection(), provideMqtt({ url: 'wss://broker.example/mqtt' })],
 * });
 * ```
 * @param config the URL and client options, or a function returning them, run in
 *   the injection context when the service is first injected (so it may `inject()`).
 * @returns the environment providers.
 */
export function provideMqtt(config: MqttConfig | (() => MqttConfig)): EnvironmentProviders {
  return makeEnvironmentProviders([
    typeof config === 'function' ? { provide: MQTT_CONFIG, useFactory: config } : { provide: MQTT_CONFIG, useValue: config },
    { provide: MqttService, useFactory: () => new MqttService() },
  ]);
}

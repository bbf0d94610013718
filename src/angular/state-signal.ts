import { assertInInjectionContext, inject, type Injector, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { ConnectionState, MqttClient } from '../index.browser.js';
import { MqttService } from './mqtt-service.js';

/** Options of {@link stateSignal}. */
export interface StateSignalOptions {
  /** Where to find the client and whose destruction unsubscribes; default: the current injection context. */
  injector?: Injector;
  /** The client to watch; default: the injector's {@link MqttService}. */
  client?: MqttClient;
}

/**
 * A signal of the client's connection state (`connecting`, `connected`,
 * `reconnecting`, `closed`), current from the start. Creating it is a first use:
 * the client connects. Call it in an injection context, or pass `injector`.
 *
 * @example
 * ```ts
 * @Component({ selector: 'app-status', template: `MQTT: {{ state().status }}` })
 * export class Status {
 *   readonly state = stateSignal();
 * }
 * ```
 * @param options `injector`, `client`.
 * @returns the signal.
 */
export function stateSignal(options: StateSignalOptions = {}): Signal<ConnectionState> {
  const { injector, client } = options;
  if (injector === undefined) assertInInjectionContext(stateSignal);
  const mqtt = client ?? injector?.get(MqttService) ?? inject(MqttService);
  return toSignal(mqtt.state$, injector === undefined ? { requireSync: true } : { requireSync: true, injector });
}

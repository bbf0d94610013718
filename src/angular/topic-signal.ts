import { assertInInjectionContext, inject, type Injector, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { Observable, OperatorFunction } from 'rxjs';
import type { MqttClient, MqttMessage, SubscribeOptions } from '../index.browser.js';
import { MqttService } from './mqtt-service.js';

/** Options of {@link topicSignal}: the subscription's options, and where the signal lives. */
export interface TopicSignalOptions<T> extends SubscribeOptions {
  /** Maps the messages, e.g. `asText()` or `asJson<Reading>()`; default: the messages themselves. */
  pipe?: OperatorFunction<MqttMessage, T>;
  /**
   * Where to find the client and whose destruction unsubscribes; default: the
   * current injection context (a component's constructor or field initializer).
   */
  injector?: Injector;
  /** The client to subscribe with; default: the injector's {@link MqttService}. */
  client?: MqttClient;
}

/**
 * A signal of the latest message on `filter` (`undefined` until the first one).
 * Subscribes at once (sending SUBSCRIBE, connecting the client on first use) and
 * unsubscribes when the injection context is destroyed (sending UNSUBSCRIBE once no
 * one else listens to the filter). Reading it throws the stream's error, e.g. a
 * refused subscription (`MqttSubscribeError`) or a `pipe` that fails; after `end()`
 * it keeps its last value.
 *
 * Call it in an injection context, or pass `injector`.
 *
 * @example
 * ```ts
 * @Component({ selector: 'app-temperature', template: `{{ celsius() ?? '…' }} °C` })
 * export class Temperature {
 *   readonly celsius = topicSignal('home/kitchen/temperature', { qos: 1, pipe: asText() });
 * }
 * ```
 * @param filter a topic filter (`+` and `#` wildcards).
 * @param options subscription options (`qos`, MQTT 5 options), `pipe`, `injector`, `client`.
 * @returns the signal.
 */
export function topicSignal(filter: string, options?: TopicSignalOptions<MqttMessage> & { pipe?: undefined }): Signal<MqttMessage | undefined>;
export function topicSignal<T>(filter: string, options: TopicSignalOptions<T> & { pipe: OperatorFunction<MqttMessage, T> }): Signal<T | undefined>;
export function topicSignal<T>(filter: string, options: TopicSignalOptions<T> = {}): Signal<T | MqttMessage | undefined> {
  const { pipe, injector, client, ...subscribeOptions } = options;
  if (injector === undefined) assertInInjectionContext(topicSignal);
  const mqtt = client ?? injector?.get(MqttService) ?? inject(MqttService);
  const messages = mqtt.topic(filter, subscribeOptions);
  const source: Observable<T | MqttMessage> = pipe === undefined ? messages : messages.pipe(pipe);
  return toSignal(source, injector === undefined ? {} : { injector });
}

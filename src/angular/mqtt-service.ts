import { DestroyRef, inject, NgZone } from '@angular/core';
import { EMPTY, type Observable, of, throwError } from 'rxjs';
import {
  type Ackable,
  type AuthAnswer,
  connect,
  type ConnectionState,
  type EndOptions,
  type MqttClient,
  MqttClosedError,
  type MqttError,
  type MqttMessage,
  type MqttMessageWithParams,
  type PacketEvent,
  type PublishOptions,
  type PublishResult,
  type RequestOptions,
  type SubscribeOptions,
} from '../index.browser.js';
import { MQTT_CONFIG } from './mqtt-config.js';
import { outsideZone } from './outside-zone.js';

const CLOSED: ConnectionState = { status: 'closed' };

/**
 * The injector's MQTT client (an {@link MqttClient}), made by {@link provideMqtt}.
 *
 * Lazy: nothing connects until the first subscription to any of its Observables
 * (`state$`, `messages$`, `packets$`, a `topic()`, a `publish()`); then it calls
 * `connect(url, options)` with {@link MQTT_CONFIG} once, and every member uses that
 * one client. Ended when its injector is destroyed (`end()`, which lets in-flight
 * QoS 1/2 flows finish within `connectTimeout`).
 *
 * Zone-aware: the client's sockets and timers live outside the Angular zone (the app
 * still becomes stable), and notifications reach subscribers inside it.
 *
 * Ended before it ever connected, it never connects: `state$` emits `closed` and
 * completes, `messages$`, `packets$` and `topic()` complete, `publish()` fails with
 * `MqttClosedError`.
 *
 * @example
 * ```ts
 * export class Lamp {
 *   private readonly mqtt = inject(MqttService);
 *   on(): void {
 *     this.mqtt.publish('lamp/set', 'on', { qos: 1 }).subscribe();
 *   }
 * }
 * ```
 */
export class MqttService implements MqttClient {
  readonly state$: Observable<ConnectionState>;
  readonly messages$: Observable<MqttMessage>;
  readonly packets$: Observable<PacketEvent>;
  readonly errors$: Observable<MqttError>;

  private readonly config = inject(MQTT_CONFIG);
  private readonly zone = inject(NgZone);
  private client: MqttClient | undefined;
  private ended = false;

  /** Must run in an injection context that provides {@link MQTT_CONFIG}; {@link provideMqtt} does it. */
  constructor() {
    inject(DestroyRef).onDestroy(() => this.end());
    this.state$ = this.lazily((client) => client.state$, () => of(CLOSED));
    this.messages$ = this.lazily((client) => client.messages$, () => EMPTY);
    this.packets$ = this.lazily((client) => client.packets$, () => EMPTY);
    this.errors$ = this.lazily((client) => client.errors$, () => EMPTY);
  }

  /**
   * Messages matching `filter`; see `MqttClient.topic`. Subscribing connects the
   * client if it is not yet connected.
   *
   * @param filter a topic filter (`+` and `#` wildcards).
   * @param options QoS and MQTT 5 subscription options.
   * @returns cold, ref-counted messages.
   */
  topic<F extends string>(
    filter: F,
    options: SubscribeOptions & { ack: 'manual' },
  ): Observable<MqttMessageWithParams<F> & Ackable>;
  topic<F extends string>(filter: F, options?: SubscribeOptions): Observable<MqttMessageWithParams<F>>;
  topic<F extends string>(filter: F, options?: SubscribeOptions): Observable<MqttMessageWithParams<F>> {
    return this.lazily((client) => client.topic(filter, options), () => EMPTY);
  }

  /**
   * Publishes once per subscription; see `MqttClient.publish`. Subscribing connects
   * the client if it is not yet connected.
   *
   * @param topic the topic name (no wildcards).
   * @param payload UTF-8 text or bytes.
   * @param options QoS, retain, MQTT 5 properties.
   * @returns emits the `PublishResult` and completes.
   */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Observable<PublishResult> {
    return this.lazily(
      (client) => client.publish(topic, payload, options),
      () => throwError(() => new MqttClosedError(`the client is closed: nothing was published to "${topic}"`)),
    );
  }

  /**
   * MQTT 5 request / response; see `MqttClient.request`. Subscribing connects the
   * client if it is not yet connected.
   *
   * @param topic where to publish the request.
   * @param payload UTF-8 text or bytes.
   * @param options QoS, properties, timeout, response topic.
   * @returns emits the response and completes.
   */
  request(topic: string, payload: string | Uint8Array, options?: RequestOptions): Observable<MqttMessage> {
    return this.lazily(
      (client) => client.request(topic, payload, options),
      () => throwError(() => new MqttClosedError(`the client is closed: no request was sent to "${topic}"`)),
    );
  }

  /**
   * Ends the client at once, if it ever connected; see `MqttClient.end`. After it,
   * the service never connects again. Idempotent.
   *
   * @param options `force` (skip waiting for in-flight flows), MQTT 5 `reasonCode`.
   * @returns completes once the client is closed.
   */
  end(options?: EndOptions): Observable<void> {
    this.ended = true;
    const client = this.client;
    if (client === undefined) return EMPTY;
    const closed = this.zone.runOutsideAngular(() => client.end(options));
    return outsideZone(this.zone, () => closed);
  }

  /**
   * MQTT 5 re-authentication; see `MqttClient.reauthenticate`. Subscribing connects the
   * client if it is not yet connected (and then fails: not connected yet).
   *
   * @param data Authentication Data of the AUTH 0x19 (or an `AuthAnswer` with a Reason
   *   String and User Properties too); default `authenticate.data`.
   * @returns completes on the server's AUTH 0x00.
   */
  reauthenticate(data?: Uint8Array | AuthAnswer): Observable<void> {
    return this.lazily(
      (client) => client.reauthenticate(data),
      () => throwError(() => new MqttClosedError('the client is closed: no re-authentication')),
    );
  }

  /** An Observable that, on subscribe, uses the client (connecting it first), or `ended()` once ended. */
  private lazily<T>(use: (client: MqttClient) => Observable<T>, ended: () => Observable<T>): Observable<T> {
    return outsideZone(this.zone, () => {
      if (this.client === undefined && !this.ended) this.client = connect(this.config.url, this.config.options);
      return this.client === undefined ? ended() : use(this.client);
    });
  }
}

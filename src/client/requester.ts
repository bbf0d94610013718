import {
  filter,
  map,
  Observable,
  shareReplay,
  switchMap,
  take,
  throwError,
  type SchedulerLike,
  type Subscriber,
} from 'rxjs';
import type { MqttMessage } from '../packets/mqtt-message.js';
import type { ProtocolVersion } from '../packets/packet.js';
import { validateTopicName } from '../packets/topic.js';
import type { ConnectionState } from '../protocol/connection-state.js';
import { MqttClosedError, MqttTimeoutError } from '../protocol/errors.js';
import { CorrelationTable } from './correlation-table.js';
import { defaultResponseTopic } from './default-response-topic.js';
import type { MqttClient } from './mqtt-client.js';
import type { RequestOptions } from './request-options.js';
import type { SubscribeOptions } from '../protocol/topic-stream.js';

/** What a {@link Requester} uses of its client. */
export type RequesterHost = Pick<MqttClient, 'state$' | 'publish'> & {
  /** `topic()`, with `onSubscribed` called once the server granted the subscription (and after each re-SUBSCRIBE). */
  topicSubscribed(filter: string, options: SubscribeOptions, onSubscribed: () => void): Observable<MqttMessage>;
};

/** What a {@link Requester} needs to know of its client's configuration. */
export interface RequesterConfig {
  /** The client's protocol version: requests need 5. */
  version: ProtocolVersion;
  /** The client id CONNECT carries (`''`: the server assigns one). */
  clientId: string;
  /** Numbers in [0, 1): the correlation data prefix. */
  random: () => number;
  /** The client's scheduler: the response timeouts run on it. */
  scheduler: SchedulerLike;
}

/** Default {@link RequestOptions.timeout}, ms. */
const DEFAULT_REQUEST_TIMEOUT = 30000;

/** The longest timer a scheduler runs as asked (setTimeout's limit). */
const MAX_TIMER = 2147483647;

/** Response subscriptions ask for QoS 2, so the responder's QoS is what the reply gets. */
const RESPONSE_QOS = 2;

/** The states that settle the default response topic: connected (its CONNACK), or closed for good. */
type Settled = Extract<ConnectionState, { status: 'connected' | 'closed' }>;

/** A request waiting for its response. */
interface Pending {
  readonly subscriber: Subscriber<MqttMessage>;
  /** The response topic, once the request is on its way to being published. */
  responseTopic: string | undefined;
}

/**
 * MQTT 5 request / response for one client, built from its `topic()` and `publish()`:
 * the engine behind {@link MqttClient.request}.
 *
 * Each response topic is subscribed to once, before the first request that uses it
 * is published (after its SUBACK: a fast responder's reply to a request published
 * earlier could arrive before the subscription exists), and stays subscribed for the
 * client's life: later requests cost no SUBSCRIBE round trip. Replies are matched to
 * requests by correlation data ({@link CorrelationTable}); replies with unknown or no
 * correlation data are ignored.
 *
 * @example
 * ```ts
 * // Inside `Client` (it needs `topicSubscribed`, which the public `MqttClient` has not):
 * const requester = new Requester(this, { version: 5, clientId: 'me', random: Math.random, scheduler: asyncScheduler });
 * requester.request('lamp/get', '').subscribe((reply) => console.log(reply.payload));
 * ```
 */
export class Requester {
  private readonly table: CorrelationTable<Pending>;
  /** Per response topic: emits once its subscription is in place (SUBACK), replayed. */
  private readonly channels = new Map<string, Observable<void>>();
  /** The default response topic, fixed by the first CONNACK that was needed for it. */
  private defaultTopic: string | undefined;

  /**
   * @param client the client whose `topic()` and `publish()` carry the requests.
   * @param config the client's protocol version, client id, randomness and scheduler.
   */
  constructor(
    private readonly client: RequesterHost,
    private readonly config: RequesterConfig,
  ) {
    this.table = new CorrelationTable<Pending>(config.random);
  }

  /**
   * Publishes a request and waits for its response; see {@link MqttClient.request}.
   *
   * @param topic where to publish the request.
   * @param payload the request's payload (UTF-8 text or bytes).
   * @param options QoS, properties, timeout and response topic.
   * @returns cold: each subscription sends one request; emits the response and completes.
   */
  request(topic: string, payload: string | Uint8Array, options: RequestOptions = {}): Observable<MqttMessage> {
    const error = this.check(topic, options);
    if (error !== undefined) return throwError(() => error);
    const timeout = options.timeout ?? DEFAULT_REQUEST_TIMEOUT;
    const { qos = 0, properties } = options;
    return new Observable<MqttMessage>((subscriber) => {
      const correlationData = this.table.next();
      const pending: Pending = { subscriber, responseTopic: undefined };
      this.table.add(correlationData, pending);
      const timer =
        timeout === Infinity
          ? undefined
          : this.config.scheduler.schedule(() => {
              subscriber.error(new MqttTimeoutError(`no response to the request to "${topic}" within ${timeout} ms`));
            }, timeout);
      const sending = this.responseTopic(options.responseTopic)
        .pipe(
          switchMap((responseTopic) => {
            pending.responseTopic = responseTopic;
            return this.client.publish(topic, payload, {
              qos,
              properties: { ...properties, responseTopic, correlationData },
            });
          }),
        )
        .subscribe({ error: (err: unknown) => subscriber.error(err) });
      return () => {
        this.table.delete(correlationData);
        timer?.unsubscribe();
        sending.unsubscribe(); // a request still queued is not sent
      };
    });
  }

  /** Bad arguments fail the request before anything is sent (or subscribed). */
  private check(topic: string, options: RequestOptions): Error | undefined {
    if (this.config.version !== 5) {
      return new TypeError(
        `request() needs MQTT 5 (response topic and correlation data): this client speaks protocol version ${this.config.version}`,
      );
    }
    if (typeof topic !== 'string') return new TypeError('topic must be a string');
    const problem = validateTopicName(topic);
    if (problem !== undefined) return new TypeError(problem);
    const qos: unknown = options.qos ?? 0;
    if (qos !== 0 && qos !== 1 && qos !== 2) return new RangeError(`qos must be 0, 1 or 2, not ${String(qos)}`);
    const timeout: unknown = options.timeout ?? DEFAULT_REQUEST_TIMEOUT;
    if (typeof timeout !== 'number' || !(timeout > 0) || (timeout > MAX_TIMER && timeout !== Infinity)) {
      return new RangeError(`timeout must be a number of milliseconds in (0, ${MAX_TIMER}] or Infinity, not ${String(timeout)}`);
    }
    const own = options.properties as { responseTopic?: unknown; correlationData?: unknown } | undefined;
    if (own?.responseTopic !== undefined || own?.correlationData !== undefined) {
      return new TypeError(
        'request() sets properties.responseTopic and properties.correlationData itself: choose the response topic with options.responseTopic',
      );
    }
    if (options.responseTopic !== undefined) {
      // MQTT-3.3.2-14: the Response Topic is a topic name, without wildcards.
      const bad = typeof options.responseTopic === 'string' ? validateTopicName(options.responseTopic) : 'it must be a string';
      if (bad !== undefined) return new TypeError(`responseTopic: ${bad}`);
    }
    return undefined;
  }

  /** Emits the response topic once its subscription is in place, then completes. */
  private responseTopic(chosen: string | undefined): Observable<string> {
    const topic = chosen ?? this.defaultTopic;
    if (topic !== undefined) return this.channel(topic).pipe(map(() => topic));
    // The default depends on the CONNACK (Response Information, an assigned client id).
    return this.client.state$.pipe(
      filter((state): state is Settled => state.status === 'connected' || state.status === 'closed'),
      take(1),
      switchMap((state) => {
        if (state.status === 'closed') {
          return throwError(() => new MqttClosedError('the client is closed: no request was sent', state.error));
        }
        this.defaultTopic ??= defaultResponseTopic(state.connack, this.config.clientId, randomId(this.config.random));
        return this.responseTopic(this.defaultTopic);
      }),
    );
  }

  /**
   * The subscription of one response topic, made on first use: emits (replayed) once
   * the server has acknowledged it; fails when it is refused or the client closes,
   * failing the requests already published that wait for a reply on it, and is made
   * again by the next request.
   */
  private channel(topic: string): Observable<void> {
    let channel = this.channels.get(topic);
    if (channel === undefined) {
      channel = this.subscribe(topic).pipe(shareReplay({ bufferSize: 1, refCount: false }));
      this.channels.set(topic, channel);
    }
    return channel.pipe(take(1));
  }

  private subscribe(topic: string): Observable<void> {
    return new Observable<void>((ready) => {
      const replies = this.client.topicSubscribed(topic, { qos: RESPONSE_QOS }, () => ready.next()).subscribe({
        next: (reply) => this.answer(reply),
        error: (err: unknown) => this.end(topic, ready, err),
        complete: () => this.end(topic, ready, new MqttClosedError(`the client is closed: no response on "${topic}"`)),
      });
      return () => replies.unsubscribe();
    });
  }

  /** A message on a response topic: the response to a pending request, or ignored. */
  private answer(reply: MqttMessage): void {
    const pending = this.table.take(reply.properties?.correlationData);
    if (pending === undefined) return;
    pending.subscriber.next(reply);
    pending.subscriber.complete();
  }

  /** A response subscription ended: its waiting requests fail; the next request subscribes again. */
  private end(topic: string, ready: Subscriber<void>, error: unknown): void {
    this.channels.delete(topic);
    for (const pending of this.table.values()) {
      if (pending.responseTopic === topic) pending.subscriber.error(error);
    }
    ready.error(error);
  }
}

/** 12 random characters, for a response topic when the client has no id. */
function randomId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(random() * 36).toString(36);
  return id;
}

import {
  catchError,
  EMPTY,
  from,
  isObservable,
  mergeMap,
  type Observable,
  type ObservableInput,
  of,
  throwError,
} from 'rxjs';
import type { MqttMessage } from '../packets/mqtt-message.js';
import type { PublishProperties, QoS } from '../packets/packet.js';
import { validateTopicName } from '../packets/topic.js';
import { MqttClosedError, MqttPublishError } from '../protocol/errors.js';
import type { PublishResult } from '../protocol/publish-request.js';
import type { SubscribeOptions } from '../protocol/topic-stream.js';
import type { MqttClient } from './mqtt-client.js';

/** A reply with more than a payload: its QoS and MQTT 5 properties (content type, user properties, …). */
export interface ReplyMessage {
  payload: string | Uint8Array;
  /** Default: {@link RespondOptions.qos}, else the request's QoS. */
  qos?: QoS;
  /** The reply's properties; its correlation data is the request's, set by {@link respond}. */
  properties?: Omit<PublishProperties, 'responseTopic' | 'correlationData'>;
}

/** What a {@link respond} handler replies: a payload, or a {@link ReplyMessage}. */
export type Reply = string | Uint8Array | ReplyMessage;

/** Options of {@link respond}. */
export interface RespondOptions {
  /** Options of the subscription to the requests (QoS, `noLocal`, …); default `{}`. */
  subscribe?: Omit<SubscribeOptions, 'ack'>;
  /** QoS of the replies; default the QoS each request arrived with. */
  qos?: QoS;
  /** How many requests are handled at once; default `Infinity`. */
  concurrency?: number;
}

/**
 * Serves MQTT 5 requests: subscribes to `filter` and answers each request (a message
 * with a Response Topic) with what `handler` returns, published to the request's
 * Response Topic with its Correlation Data, the other half of
 * {@link MqttClient.request}. Cold: subscribe to start serving, unsubscribe to stop.
 *
 * Messages without a Response Topic are not requests and are passed over, as are
 * requests whose reply cannot go where they ask: a Response Topic that is no valid
 * topic name, or a reply the server refuses (`MqttPublishError`, e.g. not authorized).
 * Their authors get no reply, as when a request is lost. The responder completes when
 * the client is ended (a reply cut off by a forced `end()` is dropped), and fails with
 * the client's error when it closes on a fatal one. An error of `handler` ends the
 * responder: to answer a failure, catch it in the handler and reply with it.
 *
 * @example
 * ```ts
 * respond(client, 'lamp/get', () => lampState).subscribe();
 * respond(client, 'sum', (req) => of(String(JSON.parse(new TextDecoder().decode(req.payload)).reduce((a: number, b: number) => a + b, 0)))).subscribe();
 * ```
 * @param client the client to serve on (MQTT 5).
 * @param filter where the requests arrive (wildcards, `$share/group/` allowed).
 * @param handler the reply to a request: a {@link Reply}, or an Observable / Promise /
 *   array of them (each value is published as a reply; usually one).
 * @param options subscription options, reply QoS, concurrency.
 * @returns emits the {@link PublishResult} of each reply published.
 */
export function respond(
  client: Pick<MqttClient, 'topic' | 'publish'>,
  filter: string,
  handler: (request: MqttMessage) => Reply | ObservableInput<Reply>,
  options: RespondOptions = {},
): Observable<PublishResult> {
  return client.topic(filter, options.subscribe).pipe(
    mergeMap((request) => {
      const responseTopic = request.properties?.responseTopic;
      // MQTT-3.3.2-14: a Response Topic is a topic name; anything else is no request we can answer.
      if (responseTopic === undefined || validateTopicName(responseTopic) !== undefined) return EMPTY;
      const correlationData = request.properties?.correlationData;
      return replies(handler(request)).pipe(
        mergeMap((reply) => {
          const { payload, qos, properties } = typeof reply === 'string' || reply instanceof Uint8Array ? { payload: reply } as ReplyMessage : reply;
          return client
            .publish(responseTopic, payload, {
              qos: qos ?? options.qos ?? request.qos,
              properties: correlationData === undefined ? { ...properties } : { ...properties, correlationData },
            })
            .pipe(catchError((err: unknown) => (skipped(err) ? EMPTY : throwError(() => err))));
        }),
      );
    }, options.concurrency ?? Infinity),
  );
}

/**
 * Whether a reply's publish error only loses that reply: the server refused it, or the
 * client closed before it went out (its `topic()` stream then ends the responder: it
 * completes after `end()`, or fails with the fatal error).
 */
function skipped(error: unknown): boolean {
  return error instanceof MqttPublishError || error instanceof MqttClosedError;
}

/** A handler's result as Observable replies: a single reply is not iterated (a string or bytes are iterable). */
function replies(result: Reply | ObservableInput<Reply>): Observable<Reply> {
  if (typeof result === 'string' || result instanceof Uint8Array) return of(result);
  if (isObservable(result)) return result;
  if (typeof result === 'object' && result !== null && 'payload' in result) return of(result);
  return from(result);
}

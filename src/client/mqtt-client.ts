import type { Observable } from 'rxjs';
import type { MqttError } from '../packets/errors.js';
import type { MqttMessage } from '../packets/mqtt-message.js';
import type { Packet, PublishProperties, QoS, UserProperties } from '../packets/packet.js';
import type { AuthAnswer } from '../protocol/auth-answer.js';
import type { ConnectionState } from '../protocol/connection-state.js';
import type { PublishResult } from '../protocol/publish-request.js';
import type { SubscribeOptions } from '../protocol/topic-stream.js';
import type { MqttMessageWithParams } from './topic-params.js';
import type { Ackable } from './ackable.js';
import type { RequestOptions } from './request-options.js';

/** One packet of the `packets$` trace (a CONNECT's password is never shown). */
export interface PacketEvent {
  direction: 'in' | 'out';
  packet: Packet;
}

/** Options of {@link MqttClient.publish}. */
export interface PublishOptions {
  /** Default 0. */
  qos?: QoS;
  /** Default false. */
  retain?: boolean;
  /** MQTT 5 publish properties (ignored in 3.x). */
  properties?: PublishProperties;
}

/** Options of {@link MqttClient.end}. */
export interface EndOptions {
  /** Do not wait for in-flight QoS 1/2 flows. */
  force?: boolean;
  /**
   * MQTT 5 DISCONNECT reason code; default 0 (0x04 asks the server to publish the will).
   * One a DISCONNECT may not carry is not sent (0 goes instead): the client still ends,
   * and the returned Observable fails with a `RangeError`.
   */
  reasonCode?: number;
  /**
   * MQTT 5: a new Session Expiry Interval (seconds) sent in the DISCONNECT, e.g. `0` to
   * drop the session now. Not allowed when the client connected with 0 (or none): then
   * the client still ends, without it, and the returned Observable fails with a
   * `RangeError` (MQTT 5 3.14.2.2.2). Ignored in 3.x.
   */
  sessionExpiryInterval?: number;
  /**
   * MQTT 5 DISCONNECT Reason String and User Properties (for the server's logs and
   * hooks). Ones that cannot be encoded (not strings) are not sent: the client still
   * ends, and the returned Observable fails with the `TypeError`. Ignored in 3.x.
   */
  properties?: { reasonString?: string; userProperties?: UserProperties };
}

/**
 * A connection to an MQTT server, hot from {@link connect} until `end()`.
 *
 * @example
 * ```ts
 * const client = connect('mqtt://127.0.0.1');
 * client.topic('sensors/#').pipe(asText()).subscribe(console.log);
 * client.publish('sensors/a', '21.5', { qos: 1 }).subscribe();
 * ```
 */
export interface MqttClient {
  /** The current state on subscribe, then every change; completes after `closed`. */
  readonly state$: Observable<ConnectionState>;
  /** Every PUBLISH that arrives (hot); completes when the client closes. */
  readonly messages$: Observable<MqttMessage>;
  /** Every packet in and out (hot); completes when the client closes. */
  readonly packets$: Observable<PacketEvent>;
  /**
   * Errors the client recovered from (hot; completes when the client closes): a
   * `MqttStoreError` when a session-store call that no publish can fail for (a release,
   * a deletion, an inbound QoS 2 identifier) threw. The session goes on from memory;
   * see docs/reliability.md, "Store errors".
   */
  readonly errors$: Observable<MqttError>;
  /**
   * Messages matching `filter`. Cold and ref-counted: the first subscriber sends
   * SUBSCRIBE, the last one leaving sends UNSUBSCRIBE. Fails with
   * `MqttSubscribeError` when refused; completes on `end()`.
   *
   * Named wildcards (`sensors/+room/temperature`, `logs/#path`) are stripped before
   * SUBSCRIBE; the levels they match arrive on each message as `params`
   * (`{ room: string }`, `{ path: string[] }`), typed from the filter. A bad or
   * repeated name fails the stream with a `TypeError`.
   *
   * With `ack: 'manual'` each message carries an `ack()` ({@link Ackable}); its PUBACK /
   * PUBREC waits for it, so the broker's in-flight window bounds what a slow consumer
   * holds (see docs/reliability.md, "Slow subscribers").
   */
  topic<F extends string>(
    filter: F,
    options: SubscribeOptions & { ack: 'manual' },
  ): Observable<MqttMessageWithParams<F> & Ackable>;
  topic<F extends string>(filter: F, options?: SubscribeOptions): Observable<MqttMessageWithParams<F>>;
  /**
   * Publishes once per subscription; emits the {@link PublishResult} and completes
   * (QoS 0 when written, 1 on PUBACK, 2 on PUBCOMP).
   */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Observable<PublishResult>;
  /**
   * MQTT 5 request / response: publishes a request to `topic` with a Response Topic
   * and fresh Correlation Data, and emits the reply that carries that correlation
   * data, then completes. Cold: each subscription sends one request; unsubscribing
   * stops the wait (and the publish, if still queued). The client subscribes to its
   * response topic before the first request (after the SUBACK) and stays subscribed.
   *
   * Fails with `MqttTimeoutError` (naming the topic) after `options.timeout` ms
   * (default 30000, on the client's scheduler), with the publish's error, with the
   * response subscription's error, or with a `TypeError` before anything is sent when
   * the client is not MQTT 5 or an argument is bad. Serve requests with {@link respond}.
   *
   * @example
   * ```ts
   * client.request('lamp/get', '', { timeout: 5000 }).pipe(asText()).subscribe(console.log);
   * ```
   */
  request(topic: string, payload: string | Uint8Array, options?: RequestOptions): Observable<MqttMessage>;
  /** Ends the client at once; the Observable completes once it is closed. Idempotent. */
  end(options?: EndOptions): Observable<void>;
  /**
   * MQTT 5 re-authentication (needs the `authenticate` option): on subscribe, sends AUTH
   * 0x19 with the method and `data` (default `authenticate.data`), which may be an
   * {@link AuthAnswer} to add a Reason String and User Properties; challenges go to
   * `authenticate.respond`. Completes on the server's AUTH 0x00; fails when the
   * connection ends first (a DISCONNECT: its `MqttConnectionError`), when not connected,
   * or with a `MqttAuthenticationError` when `respond` fails; with a `TypeError` at once
   * for `data` that is neither. Subscribers during an exchange share it.
   */
  reauthenticate(data?: Uint8Array | AuthAnswer): Observable<void>;
}

import {
  asyncScheduler,
  concat,
  defer,
  ignoreElements,
  map,
  Observable,
  Subject,
  switchMap,
  take,
  throwError,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import type { MqttMessage } from '../packets/mqtt-message.js';
import { decodeFrame } from '../packets/decode.js';
import { encode, encodePublishHeader } from '../packets/encode.js';
import { MALFORMED_PACKET, type MqttError, MqttProtocolError } from '../packets/errors.js';
import { Framer, type FrameSink } from '../packets/framer.js';
import type { Packet, ProtocolVersion, PublishPacket, PublishProperties, QoS } from '../packets/packet.js';
import { validateTopicFilter, validateTopicName } from '../packets/topic.js';
import type { ConnectionState, SessionConnectionState } from '../protocol/connection-state.js';
import type { Credentials } from '../protocol/credentials.js';
import type { AuthChallenge } from '../protocol/auth-challenge.js';
import { MqttAuthenticationError, type MqttStoreError } from '../protocol/errors.js';
import { storeError } from '../protocol/guard-store.js';
import type { DisconnectRequest } from '../protocol/disconnect-packet.js';
import { checkAckReason, type AckReason } from '../protocol/ack-reason.js';
import { subscribeOptionsProblem } from '../protocol/subscribe-options-problem.js';
import { publishSizeBound } from '../protocol/packet-fits.js';
import { toAuthAnswer, type AuthAnswer } from '../protocol/auth-answer.js';
import type { PublishRequest, PublishResult } from '../protocol/publish-request.js';
import { Session } from '../protocol/session.js';
import type { SessionOutput, TimerName } from '../protocol/session-output.js';
import type { SubscribeOptions, TopicStream } from '../protocol/topic-stream.js';
import type { Duplex, Transport } from '../transport/transport.js';
import { parseNamedFilter, withParams, type MqttMessageWithParams, type NamedFilter } from './topic-params.js';
import type { BrokerUrl } from './broker-url.js';
import type { Ackable } from './ackable.js';
import { encodePayload } from './encode-payload.js';
import type { AuthenticateOptions, ClientOptions, PerAttempt, ServerAddress } from './client-options.js';
import type { EndOptions, MqttClient, PacketEvent, PublishOptions } from './mqtt-client.js';
import { askAuthenticationData, attemptValues } from './attempt-values.js';
import { MAX_PACKET_SIZE, resolveOptions } from './resolve-options.js';
import type { RequestOptions } from './request-options.js';
import { Requester } from './requester.js';
import { serverEntries } from './server-entries.js';
import { ServerList, type ServerEntry } from './server-list.js';
import { serverTarget, type ServerTarget } from './server-target.js';
import { WriteAhead } from './write-ahead.js';
import { errorMessage } from '../packets/error-message.js';

/** Picks the transport for a URL when the options name none (Node and browsers differ). */
export type TransportChooser = (url: URL, options: ClientOptions) => Transport;

/** A publish subscriber, as handed to the session; also its teardown (no closure per publish). */
class PublishHandle implements PublishRequest {
  settled = false;
  constructor(
    readonly topic: string,
    readonly payload: Uint8Array,
    readonly qos: QoS,
    readonly retain: boolean,
    readonly properties: PublishProperties | undefined,
    readonly subscriber: Subscriber<PublishResult>,
    private readonly client: Client,
  ) {}

  /** The subscriber left: a request not yet settled is cancelled (removed if still queued). */
  unsubscribe(): void {
    if (!this.settled) this.client.cancel(this);
  }
}

/**
 * The Observable `publish()` returns: its arguments as fields and one shared subscribe
 * function (RxJS calls it with the Observable as `this`), so a publish allocates no
 * closure.
 */
class PublishObservable extends Observable<PublishResult> {
  constructor(
    readonly client: Client,
    readonly topic: string,
    readonly payload: Uint8Array,
    readonly qos: QoS,
    readonly retain: boolean,
    readonly properties: PublishProperties | undefined,
  ) {
    super(subscribePublish);
  }
}

/**
 * Each subscription to a {@link PublishObservable} is one publish request. Its
 * teardown (cancel) is registered only while the request is unsent: once sent,
 * unsubscribing changes nothing, and a subscriber without a teardown costs RxJS less.
 */
function subscribePublish(
  this: Observable<PublishResult>,
  subscriber: Subscriber<PublishResult>,
): PublishHandle | undefined {
  const o = this as PublishObservable;
  const handle = new PublishHandle(o.topic, o.payload, o.qos, o.retain, o.properties, subscriber, o.client);
  return o.client.onPublish(handle) ? handle : undefined;
}

/** A `topic()` subscriber, as handed to the session. */
class StreamHandle implements TopicStream {
  constructor(
    readonly filter: string,
    readonly options: SubscribeOptions,
    readonly subscriber: Subscriber<MqttMessage>,
    /** The named wildcards of the filter as given (`filter` is stripped of them), when it has some. */
    readonly named: NamedFilter | undefined,
    /** Called each time the server has granted the stream's subscription (the requester waits for it). */
    readonly onSubscribed: (() => void) | undefined,
  ) {}

  /** Whether its messages carry `ack()`. */
  get manual(): boolean {
    return this.options.ack === 'manual';
  }
}

/** An input that arrived while the session was busy: run after the current one (trampoline). */
type Deferred =
  | { kind: 'opened'; gen: number; duplex: Duplex; credentials: Credentials }
  | { kind: 'bytes'; gen: number; chunk: Uint8Array }
  | { kind: 'closed'; gen: number; error: Error | undefined }
  | { kind: 'timer'; name: TimerName }
  | { kind: 'publish'; handle: PublishHandle }
  | { kind: 'cancel'; handle: PublishHandle }
  | { kind: 'subscribe'; handle: StreamHandle }
  | { kind: 'unsubscribe'; handle: StreamHandle }
  | { kind: 'ack'; handle: StreamHandle; receipt: number; reason: AckReason | undefined }
  | { kind: 'end'; force: boolean; request: DisconnectRequest }
  | { kind: 'authAnswer'; token: number; answer: AuthAnswer }
  | { kind: 'authFailed'; token: number; error: MqttAuthenticationError }
  | { kind: 'reauthenticate'; answer: AuthAnswer };

const utf8 = new TextEncoder();
const REDACTED = utf8.encode('******');
const CLOSED_STATE: ConnectionState['status'] = 'closed';
/**
 * A PUBLISH payload of this many bytes or more goes to a transport with `sendParts`
 * apart from its header, uncopied; below it, copying it into the packet costs less
 * than a second write.
 */
const SPLIT_PAYLOAD = 1024;

/**
 * The client behind {@link connect}: carries the session's effects out (bytes to the
 * transport, messages to subscribers, timers on the scheduler) and feeds it inputs,
 * one at a time: an input that arrives while another is being handled (a synchronous
 * transport answering a send, a subscriber publishing from `next`) waits its turn.
 */
export class Client implements MqttClient, SessionOutput<PublishHandle, StreamHandle> {
  readonly state$: Observable<ConnectionState>;
  readonly messages$: Observable<MqttMessage>;
  readonly packets$: Observable<PacketEvent>;
  readonly errors$: Observable<MqttError>;

  private readonly session: Session<PublishHandle, StreamHandle>;
  private readonly scheduler: SchedulerLike;
  private readonly version: ProtocolVersion;
  private readonly maxPacketSize: number;
  private readonly servers: ServerList;
  private readonly username: PerAttempt<string> | undefined;
  private readonly password: PerAttempt<string | Uint8Array> | undefined;
  /** Parses a server's URL and picks its transport. */
  private readonly targetOf: (input: string | URL, inherit?: BrokerUrl) => ServerTarget;
  /** `authenticate.data` when it is a function, asked per attempt and per `reauthenticate()`. */
  private readonly askData: (() => Observable<Uint8Array>) | undefined;
  /** The server of the next attempt (picked when it starts). */
  private entry: ServerEntry;
  /** The server of the current (or last) attempt, once its URL is known. */
  private target: ServerTarget | undefined;
  private readonly authenticate: AuthenticateOptions | undefined;
  /** The `respond` of the challenge being answered. */
  private responding: Subscription | undefined;
  /** Subscribers of `reauthenticate()` waiting for the exchange to end. */
  private readonly reauthWaiters = new Set<Subscriber<void>>();

  private current: ConnectionState = { status: 'connecting', attempt: 1, server: '' };
  private readonly changes = new Subject<ConnectionState>();
  private readonly messageSubject = new Subject<MqttMessage>();
  private readonly packetSubject = new Subject<PacketEvent>();
  private readonly errorSubject = new Subject<MqttError>();
  private readonly closed$: Observable<void>;

  /** Bumped whenever a connection is opened or closed: events of older ones are stale. */
  private gen = 0;
  private opening: Subscription | undefined;
  private reading: Subscription | undefined;
  private duplex: Duplex | undefined;
  private framer: Framer | undefined;
  private readonly timers: Partial<Record<TimerName, Subscription>> = {};

  private busy = false;
  private readonly deferred: Deferred[] = [];
  /** The topic name last found valid by `publish()`. */
  private validTopic: string | undefined;
  /** MQTT 5 request / response, idle until the first `request()`. */
  private readonly requester: Requester;
  /** The store's `whenWritten`, for a store that writes behind: each connection then holds its packets in a {@link WriteAhead}. */
  private readonly whenWritten: ((written: () => void) => boolean) | undefined;
  /** The current connection's packets waiting for the store (with a `whenWritten` store). */
  private ahead: WriteAhead | undefined;

  /**
   * @param url the first server's URL, or `undefined` to take the servers from `options.servers`.
   * @param options the client options.
   * @param choose the transport for a URL when `options.transport` is not set.
   * @throws TypeError / RangeError for a bad URL or option.
   */
  constructor(url: ServerAddress | undefined, options: ClientOptions, choose: TransportChooser) {
    const target = (input: string | URL, inherit?: BrokerUrl): ServerTarget => serverTarget(input, options, choose, inherit);
    const version = options.protocolVersion ?? 4;
    // Options first (their errors before the URLs'); each attempt hands the session its credentials.
    const config = resolveOptions(options, {}, (packet) => encode(packet, version).length);
    this.targetOf = target;
    const entries = serverEntries(url, options, target);
    this.version = config.protocolVersion;
    this.servers = new ServerList(entries, (redirected, from) => target(redirected, from.broker));
    this.entry = entries[0] as ServerEntry;
    this.username = options.username;
    this.password = options.password;
    const data = options.authenticate?.data;
    this.askData = typeof data === 'function' ? data : undefined;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.maxPacketSize = config.maxPacketSize;
    this.authenticate = options.authenticate;
    this.whenWritten = config.store.whenWritten?.bind(config.store);
    const canFollow = (reference: string): boolean => this.servers.canFollow(reference, this.target);
    this.session = new Session<PublishHandle, StreamHandle>({ ...config, canFollow }, this);
    const { clientId, random } = config;
    this.requester = new Requester(this, { version: this.version, clientId, random, scheduler: this.scheduler });

    this.state$ = new Observable<ConnectionState>((subscriber) => {
      subscriber.next(this.current);
      if (this.current.status === CLOSED_STATE) {
        subscriber.complete();
        return undefined;
      }
      return this.changes.subscribe(subscriber);
    });
    this.closed$ = this.state$.pipe(ignoreElements());
    this.messages$ = this.messageSubject.asObservable();
    this.packets$ = this.packetSubject.asObservable();
    this.errors$ = this.errorSubject.asObservable();

    this.busy = true;
    try {
      this.session.start(this.scheduler.now());
      this.drain();
    } finally {
      this.busy = false;
    }
  }

  // ---------------------------------------------------------------- public API

  topic<F extends string>(
    filter: F,
    options: SubscribeOptions & { ack: 'manual' },
  ): Observable<MqttMessageWithParams<F> & Ackable>;
  topic<F extends string>(filter: F, options?: SubscribeOptions): Observable<MqttMessageWithParams<F>>;
  topic<F extends string>(filter: F, options: SubscribeOptions = {}): Observable<MqttMessageWithParams<F>> {
    return this.stream(filter, options, undefined) as Observable<MqttMessageWithParams<F>>;
  }

  /**
   * @internal `topic()` for the requester: `onSubscribed` runs each time the server has
   * granted the stream's subscription (a SUBACK, or a subscription it already held).
   * @param filter the topic filter.
   * @param options the subscription options.
   * @param onSubscribed called once the subscription is in place, and again after each re-SUBSCRIBE.
   * @returns the stream, as `topic()`.
   */
  topicSubscribed(filter: string, options: SubscribeOptions, onSubscribed: () => void): Observable<MqttMessage> {
    return this.stream(filter, options, onSubscribed);
  }

  /** `topic()` and `topicSubscribed()`: validates, then one `StreamHandle` per subscriber. */
  private stream(filter: string, options: SubscribeOptions, onSubscribed: (() => void) | undefined): Observable<MqttMessage> {
    let named: NamedFilter | undefined;
    try {
      named = parseNamedFilter(filter);
    } catch (error) {
      return throwError(() => error);
    }
    const subscribed = named === undefined ? filter : named.filter;
    const problem = validateTopicFilter(subscribed);
    if (problem !== undefined) return throwError(() => new TypeError(problem));
    const qos = options.qos ?? 0;
    if (qos !== 0 && qos !== 1 && qos !== 2) {
      return throwError(() => new RangeError(`qos must be 0, 1 or 2, not ${String(qos)}`));
    }
    const ack: unknown = options.ack;
    if (ack !== undefined && ack !== 'auto' && ack !== 'manual') {
      return throwError(() => new TypeError(`ack must be 'auto' or 'manual', not ${String(ack)}`));
    }
    const optionsProblem = subscribeOptionsProblem(subscribed, options, this.version);
    if (optionsProblem !== undefined) return throwError(() => optionsProblem);
    // `deliver` adds `params` to the messages of a named filter (topic() casts for it).
    return new Observable<MqttMessage>((subscriber) => {
      const handle = new StreamHandle(subscribed, options, subscriber, named, onSubscribed);
      this.input({ kind: 'subscribe', handle });
      return () => this.input({ kind: 'unsubscribe', handle });
    });
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Observable<PublishResult> {
    const qos = options.qos ?? 0;
    const retain = options.retain ?? false;
    const properties = this.version === 5 ? options.properties : undefined;
    const bytes = typeof payload === 'string' ? encodePayload(payload) : payload;
    const error = this.checkPublish(topic, bytes, qos, properties);
    if (error !== undefined) return throwError(() => error);
    return new PublishObservable(this, topic, bytes, qos, retain, properties);
  }

  request(topic: string, payload: string | Uint8Array, options?: RequestOptions): Observable<MqttMessage> {
    return this.requester.request(topic, payload, options);
  }

  /**
   * @internal Called by a publish's teardown.
   * @param handle the request to cancel.
   */
  cancel(handle: PublishHandle): void {
    this.input({ kind: 'cancel', handle });
  }

  end(options: EndOptions = {}): Observable<void> {
    const { reasonCode, sessionExpiryInterval, properties } = options;
    const { request, problem } = this.session.checkEnd({ reasonCode, sessionExpiryInterval, ...properties });
    this.input({ kind: 'end', force: options.force ?? false, request });
    return problem === undefined ? this.closed$ : concat(this.closed$, throwError(() => problem));
  }

  reauthenticate(data?: Uint8Array | AuthAnswer): Observable<void> {
    const given = toAuthAnswer(data, 'reauthenticate() data');
    if (given instanceof TypeError) return throwError(() => given);
    return new Observable<void>((subscriber) => {
      this.reauthWaiters.add(subscriber);
      const ask = this.askData;
      if (given.data !== undefined || ask === undefined) {
        const configured = this.authenticate?.data;
        const answer = given.data === undefined && configured instanceof Uint8Array ? { ...given, data: configured } : given;
        this.input({ kind: 'reauthenticate', answer });
        return () => this.reauthWaiters.delete(subscriber);
      }
      // Fresh data first; the exchange starts once it is there.
      const asking = askAuthenticationData(ask).subscribe({
        next: (fresh) => this.input({ kind: 'reauthenticate', answer: { ...given, data: fresh } }),
        error: (error: unknown) => {
          this.reauthWaiters.delete(subscriber);
          subscriber.error(error);
        },
      });
      return () => {
        asking.unsubscribe();
        this.reauthWaiters.delete(subscriber);
      };
    });
  }

  /** Bad arguments fail the publish before anything is sent. */
  private checkPublish(
    topic: string,
    payload: Uint8Array,
    qos: number,
    properties: PublishProperties | undefined,
  ): Error | undefined {
    if (typeof topic !== 'string') return new TypeError('topic must be a string');
    if (topic !== this.validTopic) {
      // Most publishes repeat the topic of the one before: check each new one once.
      const problem = validateTopicName(topic);
      if (problem !== undefined) return new TypeError(problem);
      this.validTopic = topic;
    }
    if (qos !== 0 && qos !== 1 && qos !== 2) return new RangeError(`qos must be 0, 1 or 2, not ${String(qos)}`);
    if (!(payload instanceof Uint8Array)) return new TypeError('payload must be a string or a Uint8Array');
    // Trial-encode only what may fail: properties, or a size near the protocol's limit.
    if (properties === undefined && publishSizeBound(topic, payload.length) <= MAX_PACKET_SIZE) return undefined;
    const packet: PublishPacket = { cmd: 'publish', topic, payload, qos, dup: false, retain: false };
    if (qos > 0) packet.messageId = 1;
    if (properties !== undefined) packet.properties = properties;
    let size: number;
    try {
      size = encode(packet, this.version).length;
    } catch (err) {
      return err instanceof Error ? err : new TypeError(String(err));
    }
    if (size > MAX_PACKET_SIZE + 5) {
      return new RangeError(`the message to "${topic}" is ${size} bytes, over the protocol's limit`);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- inputs (trampoline)

  private input(item: Deferred): void {
    if (this.busy) {
      this.deferred.push(item);
      return;
    }
    this.busy = true;
    try {
      this.handle(item);
      this.drain();
    } finally {
      this.busy = false;
    }
  }

  /**
   * @internal The hot path of publish (a subscription to a publish Observable): no
   * deferred record unless busy.
   * @param handle the request.
   * @returns whether the request may still be cancelled: deferred, or queued unsent.
   */
  onPublish(handle: PublishHandle): boolean {
    if (this.busy) {
      this.deferred.push({ kind: 'publish', handle });
      return true;
    }
    this.busy = true;
    try {
      this.session.publish(handle, this.scheduler.now());
      this.drain();
    } finally {
      this.busy = false;
    }
    return !handle.settled && this.session.queued(handle);
  }

  /** The hot path of reading: no deferred record unless busy. */
  private onBytes(gen: number, chunk: Uint8Array): void {
    if (this.busy) {
      this.deferred.push({ kind: 'bytes', gen, chunk });
      return;
    }
    this.busy = true;
    try {
      this.read(gen, chunk);
      this.drain();
    } finally {
      this.busy = false;
    }
  }

  private drain(): void {
    const queue = this.deferred;
    if (queue.length === 0) return;
    let i = 0;
    try {
      for (; i < queue.length; i++) this.handle(queue[i] as Deferred);
    } finally {
      queue.splice(0, Math.min(i + 1, queue.length));
    }
  }

  private handle(item: Deferred): void {
    const now = this.scheduler.now();
    switch (item.kind) {
      case 'bytes':
        return this.read(item.gen, item.chunk);
      case 'publish':
        return this.session.publish(item.handle, now);
      case 'cancel':
        return this.session.cancel(item.handle);
      case 'subscribe':
        return this.session.subscribe(item.handle, now);
      case 'unsubscribe':
        return this.session.unsubscribe(item.handle, now);
      case 'ack':
        return this.session.acknowledge(item.handle, item.receipt, now, item.reason);
      case 'timer':
        return this.session.timer(item.name, now);
      case 'end':
        return this.session.end(now, item.force, item.request);
      case 'authAnswer':
        return this.session.authAnswer(item.token, item.answer, now);
      case 'authFailed':
        return this.session.authFailed(item.token, item.error, now);
      case 'reauthenticate':
        return this.session.reauthenticate(item.answer, now);
      case 'opened':
        return this.opened(item.gen, item.duplex, item.credentials);
      case 'closed':
        if (item.gen === this.gen) this.session.closed(item.error, now);
        return;
    }
  }

  private opened(gen: number, duplex: Duplex, credentials: Credentials): void {
    if (gen !== this.gen) return;
    this.duplex = duplex;
    if (this.whenWritten !== undefined) {
      this.ahead = new WriteAhead(this.whenWritten, (packet) => this.write(duplex, gen, packet), this.whenWrittenFailed);
    }
    this.reading = duplex.incoming.subscribe({
      next: (chunk) => this.onBytes(gen, chunk),
      error: (error: unknown) => this.input({ kind: 'closed', gen, error: asError(error) }),
      complete: () => this.input({ kind: 'closed', gen, error: undefined }),
    });
    this.session.opened(this.scheduler.now(), credentials);
  }

  /**
   * Feeds a chunk through the framer: each whole packet in it is decoded and handed to
   * the session in order (see `frame`); then a bad fixed header, if any, is reported.
   */
  private read(gen: number, chunk: Uint8Array): void {
    const framer = this.framer;
    if (gen !== this.gen || framer === undefined) return;
    this.readGen = gen;
    this.readNow = this.scheduler.now(); // one clock read per chunk, not per packet
    try {
      framer.scan(chunk, this.frames);
    } catch (err) {
      if (!framer.failed) throw err; // not the bytes' fault
      // The packets ahead of the bad bytes were handled, unless one closed the connection.
      if (gen === this.gen) this.session.protocolError(asProtocolError(err), this.scheduler.now());
    }
  }

  /** The connection a chunk being read arrived on, and the time it was read. */
  private readGen = 0;
  private readNow = 0;
  /** Where the framer hands each packet of a chunk (`buf[start, end)`), with no view made of it. */
  private readonly frames: FrameSink = {
    frame: (buf, start, end) => {
      if (this.readGen !== this.gen) return; // an earlier packet closed the connection
      let packet: Packet;
      try {
        packet = decodeFrame(buf, start, end, this.version);
      } catch (err) {
        this.session.protocolError(asProtocolError(err), this.readNow);
        return;
      }
      if (this.packetSubject.observed) this.packetSubject.next({ direction: 'in', packet });
      this.session.received(packet, this.readNow);
    },
  };

  private fire = (name?: TimerName): void => {
    if (name === undefined) return;
    this.timers[name] = undefined;
    this.input({ kind: 'timer', name });
  };

  // ---------------------------------------------------------------- effects (SessionOutput)

  /** @internal */
  open(): void {
    const gen = ++this.gen;
    this.framer = new Framer(this.maxPacketSize);
    const entry = this.entry;
    const observer = {
      next: ({ duplex, credentials }: { duplex: Duplex; credentials: Credentials }) =>
        this.input({ kind: 'opened', gen, duplex, credentials }),
      error: (error: unknown) => this.input({ kind: 'closed', gen, error: asError(error) }),
    };
    try {
      // Plain values come at once (synchronously); functions are asked.
      this.opening = attemptValues(entry, this.username, this.password, this.askData, this.targetOf)
        .pipe(
          switchMap(([target, credentials]) => {
            this.target = target;
            return target.transport(target.broker.url).pipe(map((duplex) => ({ duplex, credentials })));
          }),
        )
        .subscribe(observer);
    } catch (error) {
      this.input({ kind: 'closed', gen, error: asError(error) });
    }
  }

  /** @internal */
  send(packet: Packet): void {
    const duplex = this.duplex;
    if (duplex === undefined) return;
    if (this.ahead === undefined) this.write(duplex, this.gen, packet);
    else this.ahead.send(packet);
  }

  private readonly whenWrittenFailed = (error: unknown): void => this.errorSubject.next(storeError('whenWritten', error));

  /** Puts a packet on connection `gen`. */
  private write(duplex: Duplex, gen: number, packet: Packet): void {
    if (this.packetSubject.observed) {
      this.packetSubject.next({
        direction: 'out',
        packet: packet.cmd === 'connect' && packet.password !== undefined ? { ...packet, password: REDACTED } : packet,
      });
    }
    try {
      if (packet.cmd === 'publish' && packet.payload.length >= SPLIT_PAYLOAD && duplex.sendParts !== undefined) {
        // The payload goes to the socket as it is, not copied into the packet.
        duplex.sendParts(encodePublishHeader(packet, this.version), packet.payload);
      } else duplex.send(encode(packet, this.version));
    } catch (error) {
      this.input({ kind: 'closed', gen, error: asError(error) });
    }
  }

  /** @internal */
  close(): void {
    this.gen++;
    const { reading, opening, duplex, responding, ahead } = this;
    this.ahead = undefined;
    this.responding = undefined;
    responding?.unsubscribe();
    this.reading = undefined;
    this.opening = undefined;
    this.duplex = undefined;
    this.framer = undefined;
    reading?.unsubscribe();
    const shut = (): void => {
      duplex?.close();
      opening?.unsubscribe();
    };
    // Packets held for the store (a DISCONNECT, say) still go, in order, before the close.
    if (ahead === undefined) shut();
    else ahead.end(shut);
  }

  /** @internal */
  state(reported: SessionConnectionState): void {
    let state: ConnectionState;
    if (reported.status === 'connecting') {
      const entry = this.servers.pick(reported.attempt, reported.redirect, this.target);
      this.entry = entry;
      const server = entry.kind === 'fixed' ? entry.target.server : entry.last;
      state = { status: 'connecting', attempt: reported.attempt, server };
    } else if (reported.status === 'connected') {
      state = { ...reported, server: this.target?.server ?? '' };
    } else {
      state = reported;
    }
    this.current = state;
    this.changes.next(state);
    if (state.status === 'closed') {
      this.changes.complete();
      this.messageSubject.complete();
      this.packetSubject.complete();
      this.errorSubject.complete();
    }
  }

  /** @internal */
  message(message: MqttMessage): void {
    if (this.messageSubject.observed) this.messageSubject.next(message);
  }

  /** @internal */
  deliver(stream: StreamHandle, message: MqttMessage, receipt?: number): void {
    const named = stream.named;
    const delivered = named === undefined ? message : withParams(message, named);
    stream.subscriber.next(stream.manual ? this.withAck(stream, delivered, receipt) : delivered);
  }

  /** The message with its `ack()`, which carries the ack into the session as an input. */
  private withAck(stream: StreamHandle, message: MqttMessage, receipt: number | undefined): MqttMessage & Ackable {
    let done = receipt === undefined;
    const ack = (reason?: AckReason): void => {
      if (done) return;
      if (reason !== undefined && this.version === 5) {
        const problem = checkAckReason(reason);
        if (problem !== undefined) throw problem;
      }
      done = true;
      this.input({ kind: 'ack', handle: stream, receipt: receipt as number, reason });
    };
    return { ...message, ack };
  }

  /** @internal */
  settle(request: PublishHandle, result: PublishResult): void {
    request.settled = true;
    request.subscriber.next(result);
    request.subscriber.complete();
  }

  /** @internal */
  reject(request: PublishHandle, error: Error): void {
    request.settled = true;
    request.subscriber.error(error);
  }

  /** @internal */
  streamError(stream: StreamHandle, error: Error): void {
    stream.subscriber.error(error);
  }

  /** @internal */
  subscribed(stream: StreamHandle): void {
    stream.onSubscribed?.();
  }

  /** @internal */
  streamComplete(stream: StreamHandle): void {
    stream.subscriber.complete();
  }

  /** @internal */
  authChallenge(challenge: AuthChallenge, token: number): void {
    this.responding?.unsubscribe();
    this.responding = undefined;
    const respond = this.authenticate?.respond;
    if (respond === undefined) {
      this.input({ kind: 'authFailed', token, error: new MqttAuthenticationError('the server sent an AUTH challenge and authenticate.respond is not set') });
      return;
    }
    let answered = false;
    const subscription = defer(() => respond(challenge))
      .pipe(take(1))
      .subscribe({
        next: (value: unknown) => {
          answered = true;
          const answer = toAuthAnswer(value, "authenticate.respond's answer");
          if (answer instanceof TypeError) this.input({ kind: 'authFailed', token, error: new MqttAuthenticationError(answer.message) });
          else this.input({ kind: 'authAnswer', token, answer });
        },
        error: (error: unknown) => {
          const why = errorMessage(error);
          this.input({ kind: 'authFailed', token, error: new MqttAuthenticationError(`authenticate.respond failed: ${why}`, error) });
        },
        complete: () => {
          if (answered) return;
          this.input({ kind: 'authFailed', token, error: new MqttAuthenticationError('authenticate.respond completed without an answer') });
        },
      });
    if (!subscription.closed) this.responding = subscription;
  }

  /** @internal */
  reauthenticated(error: Error | undefined): void {
    const waiters = [...this.reauthWaiters];
    this.reauthWaiters.clear();
    for (const waiter of waiters) {
      if (error === undefined) waiter.complete();
      else waiter.error(error);
    }
  }

  /** @internal */
  arm(timer: TimerName, ms: number): void {
    this.timers[timer]?.unsubscribe();
    this.timers[timer] = this.scheduler.schedule(this.fire, ms, timer);
  }

  /** @internal */
  storeError(error: MqttStoreError): void {
    this.errorSubject.next(error);
  }

  /** @internal */
  disarm(timer: TimerName): void {
    const running = this.timers[timer];
    if (running === undefined) return;
    this.timers[timer] = undefined;
    running.unsubscribe();
  }
}

function asError(error: unknown): Error {
  // Node's own errors can fail `instanceof Error` across realms (Jest, vm): keep any
  // error-shaped object as it is, so its `code` (ECONNREFUSED, a TLS code) survives.
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return error as Error;
  }
  return new Error(String(error));
}

/** A codec failure as the protocol error it is (a decoder bug still closes the connection cleanly). */
function asProtocolError(error: unknown): MqttProtocolError {
  if (error instanceof MqttProtocolError) return error;
  return new MqttProtocolError(errorMessage(error), MALFORMED_PACKET);
}

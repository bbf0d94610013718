import { asyncScheduler, filter, map, type Observable, ReplaySubject, type SchedulerLike } from 'rxjs';
import type {
  ConnackPacket,
  ConnectPacket,
  Packet,
  PublishPacket,
  PublishProperties,
  QoS,
} from '../packets/packet.js';
import { memory } from '../transport/memory.js';
import type { Transport } from '../transport/transport.js';
import { BrokerConnection, type BrokerContext, type PublishAck } from './broker-connection.js';
import type { BrokerCommand, BrokerConnectionEvent } from './broker-event.js';
import { BrokerSession } from './broker-session.js';
import { RetainedMessages } from './retained-messages.js';
import type { BrokerReplies, ScriptedBrokerOptions } from './scripted-broker-options.js';

/** Options of {@link ScriptedBroker.publish}. */
export interface BrokerPublishOptions {
  /** Default 0. */
  qos?: QoS;
  /** Default false. */
  retain?: boolean;
  /** Default false. */
  dup?: boolean;
  /** Packet identifier for QoS 1/2; allocated (1, 2, … per connection) when absent. */
  messageId?: number;
  /** MQTT 5 properties (dropped for 3.x connections). */
  properties?: PublishProperties;
}

/** Options of {@link ScriptedBroker.retain}. */
export interface BrokerRetainOptions {
  /** Default 0. */
  qos?: QoS;
  /** MQTT 5 properties. */
  properties?: PublishProperties;
}

/**
 * A scripted MQTT broker on the in-process {@link memory} transport, for tests. See
 * {@link scriptedBroker}.
 */
export interface ScriptedBroker {
  /** The transport to give the client: `connect(url, { transport: broker.transport, scheduler })`. */
  readonly transport: Transport;
  /**
   * Every packet received from the client, decoded. Replays everything since the
   * broker was made, then goes on live: subscribe at the start of the test (as
   * `expectObservable` does at frame 0) so replayed packets keep their times.
   * {@link ofCmd} keeps the packets of some kinds, typed.
   */
  readonly received$: Observable<Packet>;
  /** Every packet the broker sent, as given to the encoder; replayed like `received$`. */
  readonly sent$: Observable<Packet>;
  /** Connections opened, refused and closed; replayed like `received$`. */
  readonly connection$: Observable<BrokerConnectionEvent>;
  /**
   * For marble tests: the `cmd` of each packet received, `'closed'` when a connection
   * ends and `'refused'` when an attempt is refused; replayed like `received$`.
   */
  readonly commands$: Observable<BrokerCommand>;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connection attempts so far, refused ones included. */
  readonly attempts: number;
  /** Whether a connection is open. */
  readonly connected: boolean;
  /**
   * Sends `packet` now on the current connection (the latest one still open),
   * encoded with its protocol version.
   *
   * @throws Error when no connection is open; what `encode` throws for a bad packet.
   */
  send(packet: Packet): void;
  /**
   * Sends a PUBLISH now on the current connection, whatever its subscriptions, and
   * runs the QoS flow as the sender (answers PUBREC with PUBREL unless `pubrel` is off).
   *
   * @returns emits the packet that ends the flow (PUBACK, PUBCOMP, or a refusing
   *   PUBREC) and completes; completes at once for QoS 0; errors if the connection
   *   ends first. Acts without being subscribed to.
   * @throws Error when no connection is open.
   */
  publish(topic: string, payload: string | Uint8Array, options?: BrokerPublishOptions): Observable<PublishAck>;
  /** Sets the retained message of `topic` (an empty payload removes it), as if a client had published it. */
  retain(topic: string, payload: string | Uint8Array, options?: BrokerRetainOptions): void;
  /**
   * Closes the current connection: the client's `incoming` completes.
   *
   * @throws Error when no connection is open.
   */
  drop(): void;
  /**
   * Fails the current connection: the client's `incoming` errors with `error`.
   *
   * @throws Error when no connection is open.
   */
  fail(error?: Error): void;
  /** Refuses the next `count` connection attempts (default 1): the Transport errors with ECONNREFUSED. */
  refuse(count?: number): void;
  /** Changes automatic replies from now on; `delays` are merged per reply. */
  configure(replies: Partial<BrokerReplies>): void;
}

/**
 * Makes a scripted broker: a tiny MQTT 3.1 / 3.1.1 / 5 broker (the version of each
 * connection is its CONNECT's) on the in-process {@link memory} transport, for marble
 * tests of clients. It answers by itself (CONNACK, SUBACK, UNSUBACK, PUBACK, PUBREC /
 * PUBCOMP, PUBREL, PINGRESP), each reply switchable off or scripted and delayed on the
 * broker's scheduler; routes each client PUBLISH to the matching subscriptions of
 * every open connection (the sender's own included) and keeps retained messages; and
 * records every packet both ways.
 *
 * Sessions: a CONNECT with Clean Session 0 (3.x) / Clean Start 0 (5) finds the
 * subscriptions of its client id's previous connection when that one asked to keep
 * its session (Clean Session 0 / Session Expiry Interval > 0), and the default CONNACK
 * then says `sessionPresent`; a scripted CONNACK's `sessionPresent` decides instead. A
 * second connection with the same client id takes the session over and the first is
 * closed. A malformed packet, a packet before CONNECT, a second CONNECT or a
 * server-to-client packet closes the connection (after DISCONNECT with the reason code,
 * in MQTT 5).
 *
 * Not done: no queueing for offline sessions, no resending of unacknowledged
 * messages on resume, no session or message expiry, no keepalive enforcement, no will
 * messages, no enhanced authentication (AUTH is recorded, not answered), no shared
 * subscription load balancing, no Receive Maximum or Maximum Packet Size towards the
 * client, no topic aliases towards the client (the client's own are resolved).
 *
 * The client is hot: end it at some virtual time, or `run()` keeps flushing its
 * keepalive timers for ever.
 *
 * @example
 * ```ts
 * new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
 *   const broker = scriptedBroker({ pingresp: false });
 *   const client = connect('mqtt://broker', { transport: broker.transport, keepalive: 10, reconnect: { initialDelay: 1000, jitter: 0 } });
 *   asyncScheduler.schedule(() => client.end({ force: true }).subscribe(), 25_000);
 *   expectObservable(broker.commands$).toBe('c 9999ms p 9999ms x 999ms c 3999ms (dx)',
 *     { c: 'connect', p: 'pingreq', x: 'closed', d: 'disconnect' });
 * });
 * ```
 * @param options initial replies, delays, scheduler, refusals.
 * @returns the broker.
 */
export function scriptedBroker(options: ScriptedBrokerOptions = {}): ScriptedBroker {
  return new Broker(options);
}

const encoder = new TextEncoder();

/** 3.x CONNACK return code 2: identifier rejected. */
const IDENTIFIER_REJECTED = 2;

/** Whether a CONNACK refuses the connection. */
function refuses(connack: ConnackPacket): boolean {
  return (connack.returnCode ?? 0) !== 0 || (connack.reasonCode ?? 0) >= 0x80;
}

/** What the broker records, in order: connection events and received packets. */
type BrokerEvent = BrokerConnectionEvent | { readonly type: 'received'; readonly packet: Packet };

function isConnectionEvent(event: BrokerEvent): event is BrokerConnectionEvent {
  return event.type !== 'received';
}

/** The broker behind {@link scriptedBroker}. */
class Broker implements ScriptedBroker, BrokerContext {
  readonly scheduler: SchedulerLike;
  readonly replies: BrokerReplies;
  readonly transport: Transport;
  private readonly receivedPackets = new ReplaySubject<Packet>();
  private readonly sentPackets = new ReplaySubject<Packet>();
  private readonly events = new ReplaySubject<BrokerEvent>();
  readonly received$ = this.receivedPackets.asObservable();
  readonly sent$ = this.sentPackets.asObservable();
  readonly connection$: Observable<BrokerConnectionEvent>;
  readonly commands$: Observable<BrokerCommand>;
  connections = 0;
  attempts = 0;
  private readonly retainEnabled: boolean;
  private readonly retained = new RetainedMessages();
  private readonly sessions = new Map<string, BrokerSession>();
  /** Open connections, oldest first. */
  private readonly open: BrokerConnection[] = [];
  private refusals: number;
  private connects = 0;
  private assignedIds = 0;

  constructor(options: ScriptedBrokerOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.retainEnabled = options.retain ?? true;
    this.refusals = options.refuse ?? 0;
    this.replies = {
      connack: options.connack ?? true,
      suback: options.suback ?? true,
      unsuback: options.unsuback ?? true,
      puback: options.puback ?? true,
      pubrec: options.pubrec ?? true,
      pubrel: options.pubrel ?? true,
      pubcomp: options.pubcomp ?? true,
      pingresp: options.pingresp ?? true,
      delays: { ...options.delays },
    };
    this.connection$ = this.events.pipe(filter(isConnectionEvent));
    this.commands$ = this.events.pipe(
      filter((event) => event.type !== 'open'),
      map((event) => (event.type === 'received' ? event.packet.cmd : event.type)),
    );
    this.transport = memory((server, url) => {
      this.attempts++;
      if (this.refusals > 0) {
        this.refusals--;
        this.events.next({ type: 'refused', attempt: this.attempts });
        throw Object.assign(new Error('connect ECONNREFUSED (scripted broker)'), { code: 'ECONNREFUSED' });
      }
      const number = ++this.connections;
      this.events.next({ type: 'open', connection: number, url });
      this.open.push(new BrokerConnection(number, server, this, options.maxPacketSize));
    });
  }

  get connected(): boolean {
    return this.open.length > 0;
  }

  send(packet: Packet): void {
    this.current().send(packet);
  }

  publish(topic: string, payload: string | Uint8Array, options: BrokerPublishOptions = {}): Observable<PublishAck> {
    const { qos = 0, retain = false, dup = false, messageId, properties } = options;
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    return this.current().publish({ topic, payload: bytes, qos, retain, dup, ...(messageId === undefined ? {} : { messageId }), ...(properties === undefined ? {} : { properties }) });
  }

  retain(topic: string, payload: string | Uint8Array, options: BrokerRetainOptions = {}): void {
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    const publish: PublishPacket = { cmd: 'publish', topic, payload: bytes, qos: options.qos ?? 0, dup: false, retain: true };
    if (options.properties !== undefined) publish.properties = options.properties;
    this.retained.store(publish);
  }

  drop(): void {
    this.current().drop();
  }

  fail(error: Error = Object.assign(new Error('read ECONNRESET (scripted broker)'), { code: 'ECONNRESET' })): void {
    this.current().fail(error);
  }

  refuse(count = 1): void {
    this.refusals += count;
  }

  configure(replies: Partial<BrokerReplies>): void {
    const { delays, ...rest } = replies;
    Object.assign(this.replies, rest);
    if (delays !== undefined) Object.assign(this.replies.delays, delays);
  }

  openSession(connection: BrokerConnection, connect: ConnectPacket): ConnackPacket | undefined {
    const attempt = ++this.connects;
    const version = connect.protocolVersion;
    // An empty client id gets one of its own (announced in MQTT 5's CONNACK).
    const clientId = connect.clientId === '' ? `scripted-broker-${++this.assignedIds}` : connect.clientId;
    const assigned = connect.clientId === '' && version === 5 ? clientId : undefined;
    const existing = this.sessions.get(clientId);
    const resumable = existing !== undefined && existing.persistent && !connect.clean;
    const connack = this.connackFor(connect, attempt, resumable, assigned);
    if (connack !== undefined && refuses(connack)) return connack;
    for (const other of [...this.open]) {
      if (other !== connection && other.session?.clientId === clientId) other.takeOver(); // MQTT-3.1.4-3
    }
    const present = connack?.sessionPresent ?? resumable;
    const session = present && existing !== undefined ? existing : new BrokerSession(clientId, false);
    session.persistent = version === 5 ? (connect.properties?.sessionExpiryInterval ?? 0) > 0 : !connect.clean;
    this.sessions.set(clientId, session);
    connection.session = session;
    return connack;
  }

  route(publish: PublishPacket, origin: BrokerConnection): void {
    if (publish.retain && this.retainEnabled) this.retained.store(publish);
    for (const connection of [...this.open]) connection.deliver(publish, connection === origin);
  }

  retainedFor(filter: string): PublishPacket[] {
    return this.retainEnabled ? this.retained.matching(filter) : [];
  }

  received(packet: Packet): void {
    this.receivedPackets.next(packet);
    this.events.next({ type: 'received', packet });
  }

  sent(packet: Packet): void {
    this.sentPackets.next(packet);
  }

  closed(connection: BrokerConnection, by: 'client' | 'broker', error?: Error): void {
    this.open.splice(this.open.indexOf(connection), 1);
    const session = connection.session;
    if (session !== undefined && !session.persistent && this.sessions.get(session.clientId) === session) {
      this.sessions.delete(session.clientId);
    }
    this.events.next({ type: 'closed', connection: connection.number, by, ...(error === undefined ? {} : { error }) });
  }

  /** The CONNACK the replies say, or `undefined` for none. */
  private connackFor(connect: ConnectPacket, attempt: number, sessionPresent: boolean, assigned: string | undefined): ConnackPacket | undefined {
    const script = this.replies.connack;
    if (script === false) return undefined;
    if (typeof script === 'function') return script(connect, attempt);
    if (script !== true) return script;
    if (connect.protocolVersion === 5) {
      const connack: ConnackPacket = { cmd: 'connack', sessionPresent, reasonCode: 0 };
      if (assigned !== undefined) connack.properties = { assignedClientIdentifier: assigned };
      return connack;
    }
    // MQTT-3.1.3-8 (3.1.1): an empty client id needs Clean Session 1; MQTT 3.1 needs 1 to 23 characters.
    if (connect.clientId === '' && (connect.protocolVersion === 3 || !connect.clean)) {
      return { cmd: 'connack', sessionPresent: false, returnCode: IDENTIFIER_REJECTED };
    }
    return { cmd: 'connack', sessionPresent: connect.protocolVersion === 4 && sessionPresent, returnCode: 0 };
  }

  /** The latest connection still open. */
  private current(): BrokerConnection {
    const connection = this.open[this.open.length - 1];
    if (connection === undefined) throw new Error('scripted broker: no open connection');
    return connection;
  }
}

import { AsyncSubject, type Observable, type SchedulerLike, Subscription } from 'rxjs';
import { decode } from '../packets/decode.js';
import { encode } from '../packets/encode.js';
import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';
import { Framer } from '../packets/framer.js';
import type {
  ConnackPacket,
  ConnectPacket,
  Packet,
  ProtocolVersion,
  PubackPacket,
  PubcompPacket,
  PublishPacket,
  PubrecPacket,
  QoS,
  SubscribePacket,
  UnsubscribePacket,
} from '../packets/packet.js';
import type { MemoryDuplex } from '../transport/memory.js';
import type { BrokerSession } from './broker-session.js';
import type { BrokerReplies, ReplyCmd, ReplyScript } from './scripted-broker-options.js';

/** The packet that ends a QoS 1/2 flow the broker started: PUBACK, PUBCOMP, or a refusing PUBREC. */
export type PublishAck = PubackPacket | PubrecPacket | PubcompPacket;

/** A PUBLISH the broker sends; `messageId` is allocated when absent. */
export type OutgoingPublish = Omit<PublishPacket, 'cmd' | 'messageId'> & { messageId?: number };

/** What a connection needs from its broker. */
export interface BrokerContext {
  readonly scheduler: SchedulerLike;
  /** The live automatic-reply settings. */
  readonly replies: BrokerReplies;
  /** Opens the session of a CONNECT and picks the CONNACK to send (`undefined`: none). */
  openSession(connection: BrokerConnection, connect: ConnectPacket): ConnackPacket | undefined;
  /** Routes an accepted PUBLISH from `origin` (topic resolved) to the subscribers. */
  route(publish: PublishPacket, origin: BrokerConnection): void;
  /** The retained messages a new subscription to `filter` receives. */
  retainedFor(filter: string): PublishPacket[];
  received(packet: Packet): void;
  sent(packet: Packet): void;
  closed(connection: BrokerConnection, by: 'client' | 'broker', error?: Error): void;
}

/** A QoS 1/2 message the broker sent and the client has not finished acknowledging. */
interface OutboundFlow {
  readonly qos: 1 | 2;
  released: boolean;
  readonly done: AsyncSubject<PublishAck>;
}

const NO_SUBSCRIPTION_EXISTED = 0x11;
const SESSION_TAKEN_OVER = 0x8e;

/**
 * The broker's side of one connection: frames and decodes what the client sends,
 * answers per the broker's replies (on its scheduler), runs the QoS flows in both
 * directions and closes on a protocol error.
 */
export class BrokerConnection {
  /** Protocol version: 4 until the CONNECT says otherwise. */
  version: ProtocolVersion = 4;
  /** The session, once a CONNECT was accepted. */
  session: BrokerSession | undefined;
  private connectReceived = false;
  private ended = false;
  private readonly framer: Framer;
  private readonly timers = new Subscription();
  /** QoS 2 message ids received and not yet released (MQTT-4.3.3). */
  private readonly awaitingRelease = new Set<number>();
  private readonly outbound = new Map<number, OutboundFlow>();
  private readonly topicAliases = new Map<number, string>();
  private lastId = 0;

  /**
   * @param number the connection's number, from 1.
   * @param duplex the server end of the pipe.
   * @param broker the broker it belongs to.
   * @param maxPacketSize the largest packet accepted from the client.
   */
  constructor(
    readonly number: number,
    private readonly duplex: MemoryDuplex,
    private readonly broker: BrokerContext,
    maxPacketSize: number | undefined,
  ) {
    this.framer = new Framer(maxPacketSize);
    duplex.incoming.subscribe({
      next: (bytes) => this.receive(bytes),
      error: (error: unknown) => this.end('client', error instanceof Error ? error : new Error(String(error))),
      complete: () => this.end('client'),
    });
  }

  /** Whether the connection is still open. */
  get open(): boolean {
    return !this.ended;
  }

  /**
   * Encodes `packet` with the connection's version and sends it now.
   *
   * @throws Error when the connection has ended; whatever `encode` throws.
   */
  send(packet: Packet): void {
    if (this.ended) throw new Error(`scripted broker: connection ${this.number} has ended`);
    const bytes = encode(packet, this.version);
    this.broker.sent(packet);
    this.duplex.send(bytes);
  }

  /**
   * Sends a PUBLISH and runs the QoS flow as the sender (PUBREL after PUBREC when
   * the `pubrel` reply is on).
   *
   * @returns emits the packet that ends the flow and completes (at once, empty, for
   *   QoS 0); errors if the connection ends first.
   */
  publish(message: OutgoingPublish): Observable<PublishAck> {
    const done = new AsyncSubject<PublishAck>();
    const { messageId, properties, ...rest } = message;
    const packet: PublishPacket = { cmd: 'publish', ...rest };
    if (this.version === 5 && properties !== undefined && Object.keys(properties).length > 0) packet.properties = properties;
    if (message.qos === 0) {
      this.send(packet);
      done.complete();
      return done.asObservable();
    }
    packet.messageId = messageId ?? this.allocateId();
    this.outbound.set(packet.messageId, { qos: message.qos, released: false, done });
    this.send(packet);
    return done.asObservable();
  }

  /**
   * Delivers a routed message to this connection's matching subscriptions, if any
   * (MQTT-3.3.4-2: once, at the highest granted QoS).
   *
   * @param publish the accepted PUBLISH, topic resolved.
   * @param local whether it came from this connection.
   */
  deliver(publish: PublishPacket, local: boolean): void {
    const match = this.session?.match(publish.topic, local);
    if (match === undefined) return;
    const { topicAlias: _alias, subscriptionIdentifier: _ids, ...forwarded } = publish.properties ?? {};
    const ids = match.identifiers;
    if (ids.length > 0) Object.assign(forwarded, { subscriptionIdentifier: ids.length === 1 ? ids[0] : ids });
    this.publish({
      topic: publish.topic,
      payload: publish.payload,
      qos: Math.min(publish.qos, match.qos) as QoS,
      dup: false,
      // MQTT-3.3.1-9 (3.1.1), MQTT-3.3.1-12 / MQTT-3.3.1-13 (5)
      retain: match.retainAsPublished && publish.retain,
      properties: forwarded,
    });
  }

  /** Ends the connection from the broker's side: the client's `incoming` completes. */
  drop(): void {
    this.end('broker');
  }

  /** Ends the connection with a failure: the client's `incoming` errors with `error`. */
  fail(error: Error): void {
    this.end('broker', error, true);
  }

  /** Ends the connection because another one took over its session (MQTT-3.1.4-3). */
  takeOver(): void {
    if (this.version === 5) this.send({ cmd: 'disconnect', reasonCode: SESSION_TAKEN_OVER });
    this.end('broker');
  }

  private receive(bytes: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = this.framer.push(bytes);
    } catch (error) {
      this.protocolError(error);
      return;
    }
    for (const frame of frames) {
      if (this.ended) return;
      let packet: Packet;
      try {
        // A CONNECT decodes whatever the version: its protocol level sets it.
        packet = decode(frame, this.version);
      } catch (error) {
        this.protocolError(error);
        return;
      }
      this.broker.received(packet);
      this.handle(packet);
    }
  }

  private handle(packet: Packet): void {
    if (!this.connectReceived && packet.cmd !== 'connect') {
      this.protocolError(new MqttProtocolError(`the first packet was ${packet.cmd.toUpperCase()}, not CONNECT`, PROTOCOL_ERROR)); // MQTT-3.1.0-1
      return;
    }
    switch (packet.cmd) {
      case 'connect':
        if (this.connectReceived) this.protocolError(new MqttProtocolError('a second CONNECT', PROTOCOL_ERROR)); // MQTT-3.1.0-2
        else this.connect(packet);
        return;
      case 'publish':
        this.receivePublish(packet);
        return;
      case 'pubrel':
        this.awaitingRelease.delete(packet.messageId);
        if (this.broker.replies.pubcomp) this.later('pubcomp', () => this.send(this.ack('pubcomp', packet.messageId, 0)));
        return;
      case 'puback':
      case 'pubcomp':
        this.settle(packet, packet.cmd === 'puback' ? 1 : 2);
        return;
      case 'pubrec':
        this.receivePubrec(packet);
        return;
      case 'subscribe':
        this.subscribe(packet);
        return;
      case 'unsubscribe':
        this.unsubscribe(packet);
        return;
      case 'pingreq':
        if (this.broker.replies.pingresp) this.later('pingresp', () => this.send({ cmd: 'pingresp' }));
        return;
      case 'disconnect':
      case 'auth':
        // DISCONNECT: the client closes the connection next (MQTT-3.14.4-1). AUTH: recorded, not answered.
        return;
      default:
        this.protocolError(new MqttProtocolError(`${packet.cmd.toUpperCase()} is a server-to-client packet`, PROTOCOL_ERROR));
    }
  }

  private connect(connect: ConnectPacket): void {
    this.connectReceived = true;
    this.version = connect.protocolVersion;
    const connack = this.broker.openSession(this, connect);
    if (connack === undefined) return;
    const refused = (connack.returnCode ?? 0) !== 0 || (connack.reasonCode ?? 0) >= 0x80;
    this.later('connack', () => {
      this.send(connack);
      if (refused) this.end('broker'); // MQTT-3.2.2-5 (3.1.1), MQTT-3.2.2-7 (5)
    });
  }

  private receivePublish(publish: PublishPacket): void {
    const resolved = this.resolveAlias(publish);
    if (resolved === undefined) return;
    if (publish.qos === 0) {
      this.broker.route(resolved, this);
      return;
    }
    const id = publish.messageId!;
    const script = publish.qos === 1 ? this.broker.replies.puback : this.broker.replies.pubrec;
    const code = this.replyCode(script, publish);
    const accepted = (code ?? 0) < 0x80;
    if (accepted && !this.awaitingRelease.has(id)) this.broker.route(resolved, this);
    if (accepted && publish.qos === 2) this.awaitingRelease.add(id);
    if (code === undefined) return;
    const cmd = publish.qos === 1 ? 'puback' : 'pubrec';
    this.later(cmd, () => this.send(this.ack(cmd, id, code)));
  }

  /** The PUBLISH with its topic alias resolved (MQTT-3.3.2-12), or `undefined` after a protocol error. */
  private resolveAlias(publish: PublishPacket): PublishPacket | undefined {
    const alias = publish.properties?.topicAlias;
    if (alias === undefined) return publish;
    if (publish.topic !== '') {
      this.topicAliases.set(alias, publish.topic);
      return publish;
    }
    const topic = this.topicAliases.get(alias);
    if (topic === undefined) {
      this.protocolError(new MqttProtocolError(`topic alias ${alias} was never set`, PROTOCOL_ERROR));
      return undefined;
    }
    return { ...publish, topic };
  }

  private receivePubrec(pubrec: PubrecPacket): void {
    const flow = this.outbound.get(pubrec.messageId);
    if (flow === undefined || flow.qos !== 2 || flow.released) return;
    if ((pubrec.reasonCode ?? 0) >= 0x80) {
      this.settle(pubrec, 2);
      return;
    }
    flow.released = true;
    if (this.broker.replies.pubrel) this.later('pubrel', () => this.send(this.ack('pubrel', pubrec.messageId, 0)));
  }

  private settle(ack: PublishAck, qos: 1 | 2): void {
    const flow = this.outbound.get(ack.messageId);
    if (flow === undefined || flow.qos !== qos) return;
    this.outbound.delete(ack.messageId);
    flow.done.next(ack);
    flow.done.complete();
  }

  private subscribe(subscribe: SubscribePacket): void {
    const session = this.session;
    const script = this.broker.replies.suback;
    const codes = typeof script === 'function' ? script(subscribe) : subscribe.subscriptions.map((s) => s.qos);
    const retained: PublishPacket[] = [];
    subscribe.subscriptions.forEach((subscription, i) => {
      const code = codes[i] ?? 0x80;
      if (code >= 0x80 || session === undefined) return;
      const existed = session.subscriptions.has(subscription.topic);
      const identifier = subscribe.properties?.subscriptionIdentifier;
      const granted = { ...subscription, qos: Math.min(subscription.qos, code) as QoS };
      session.subscriptions.set(subscription.topic, identifier === undefined ? granted : { ...granted, identifier });
      // MQTT-3.3.1-9 / MQTT-3.3.1-10 (5): Retain Handling 1 only for a new subscription, 2 never; none for shared ones.
      const handling = subscription.rh ?? 0;
      if (handling === 2 || (handling === 1 && existed) || subscription.topic.startsWith('$share/')) return;
      for (const message of this.broker.retainedFor(subscription.topic)) {
        retained.push({ ...message, qos: Math.min(message.qos, granted.qos) as QoS });
      }
    });
    this.later('suback', () => {
      if (script !== false) this.send({ cmd: 'suback', messageId: subscribe.messageId, granted: codes });
      for (const message of retained) {
        this.publish({ topic: message.topic, payload: message.payload, qos: message.qos, dup: false, retain: true, properties: message.properties ?? {} });
      }
    });
  }

  private unsubscribe(unsubscribe: UnsubscribePacket): void {
    const script = this.broker.replies.unsuback;
    const existed = unsubscribe.unsubscriptions.map((filter) => this.session?.subscriptions.delete(filter) === true);
    if (script === false) return;
    const codes = typeof script === 'function' ? script(unsubscribe) : existed.map((had) => (had ? 0 : NO_SUBSCRIPTION_EXISTED));
    const unsuback = this.version === 5
      ? { cmd: 'unsuback' as const, messageId: unsubscribe.messageId, granted: codes }
      : { cmd: 'unsuback' as const, messageId: unsubscribe.messageId };
    this.later('unsuback', () => this.send(unsuback));
  }

  /** The reason code to answer with, or `undefined` when the reply is switched off. */
  private replyCode<P>(script: ReplyScript<P, number>, packet: P): number | undefined {
    if (script === false) return undefined;
    return script === true ? 0 : script(packet);
  }

  /** An acknowledgement in the canonical form of the connection's version. */
  private ack(cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', messageId: number, reasonCode: number): Packet {
    return this.version === 5 ? { cmd, messageId, reasonCode } : { cmd, messageId };
  }

  /** Runs `action` after the reply's delay on the broker's scheduler, unless the connection ends first. */
  private later(reply: ReplyCmd, action: () => void): void {
    const delay = this.broker.replies.delays[reply] ?? 0;
    this.timers.add(
      this.broker.scheduler.schedule(() => {
        if (!this.ended) action();
      }, delay),
    );
  }

  private allocateId(): number {
    do this.lastId = (this.lastId % 0xffff) + 1;
    while (this.outbound.has(this.lastId));
    return this.lastId;
  }

  private protocolError(error: unknown): void {
    const failure = error instanceof MqttProtocolError ? error : new MqttProtocolError(String(error), PROTOCOL_ERROR);
    // MQTT 5 lets the server say why before closing (MQTT-4.13.1-1 and the DISCONNECT reason codes).
    if (this.version === 5 && this.session !== undefined && !this.ended) {
      this.send({ cmd: 'disconnect', reasonCode: failure.reasonCode });
    }
    this.end('broker', failure);
  }

  /** Ends the connection once: records it, cancels replies, fails unfinished flows, closes the pipe. */
  private end(by: 'client' | 'broker', error?: Error, failPipe = false): void {
    if (this.ended) return;
    this.ended = true;
    this.timers.unsubscribe();
    for (const [id, flow] of this.outbound) {
      flow.done.error(new Error(`scripted broker: connection ${this.number} ended before the QoS ${flow.qos} flow of message ${id} completed`));
    }
    this.outbound.clear();
    this.broker.closed(this, by, error);
    if (failPipe && error !== undefined) this.duplex.fail(error);
    else this.duplex.close();
  }
}

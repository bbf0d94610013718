import { asyncScheduler, Observable, ReplaySubject, Subject } from 'rxjs';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { Framer } from '../../src/packets/framer.js';
import type { ConnackPacket, Packet, ProtocolVersion, PublishPacket } from '../../src/packets/packet.js';
import type { Duplex, Transport } from '../../src/transport/transport.js';

/** What the fake broker answers by itself; each can be switched off. */
export interface FakeBrokerScript {
  /** CONNACK to send for each CONNECT (by connection number, from 0), or `undefined` for none. */
  connack?: (connection: number, connect: Packet) => ConnackPacket | undefined;
  /** Delay of the CONNACK, virtual ms. */
  connackDelay?: number;
  suback?: boolean;
  puback?: boolean;
  pubrec?: boolean;
  pubcomp?: boolean;
  pingresp?: boolean;
  /** Refuse the transport of these connection attempts (by attempt number, from 0). */
  refuse?: (attempt: number) => boolean;
}

/** One letter per packet the client sends, for marble diagrams. */
export const LETTER: Record<string, string> = {
  connect: 'c',
  publish: 'P',
  puback: 'a',
  pubrec: 'e',
  pubrel: 'r',
  pubcomp: 'm',
  subscribe: 's',
  unsubscribe: 'u',
  pingreq: 'p',
  disconnect: 'd',
};

/**
 * A test-only broker on an in-process, synchronous transport: decodes what the
 * client sends, answers per the script (in virtual time when delayed), and records
 * everything. Use inside `TestScheduler.run()`.
 */
export class FakeBroker {
  /** Every packet from the client (replayed to late subscribers: the first ones come before any test subscribes). */
  readonly received$ = new ReplaySubject<Packet>();
  /** Every packet from the client, by letter ({@link LETTER}). */
  readonly letters$ = new ReplaySubject<string>();
  /** 'o' each time the client opens the transport, 'x' each time a connection ends. */
  readonly connections$ = new ReplaySubject<string>();
  readonly log: { time: number; packet: Packet }[] = [];
  private attempts = 0;
  private connectionCount = 0;
  private connection: { readonly incoming: Subject<Uint8Array>; readonly end: () => void } | undefined;
  private version: ProtocolVersion = 4;

  /**
   * @param script what to answer.
   */
  constructor(private readonly script: FakeBrokerScript = {}) {}

  /** The transport to give the client. */
  readonly transport: Transport = () =>
    new Observable<Duplex>((subscriber) => {
      const attempt = this.attempts++;
      this.connections$.next('o');
      if (this.script.refuse?.(attempt)) {
        subscriber.error(new Error('ECONNREFUSED'));
        return undefined;
      }
      const incoming = new Subject<Uint8Array>();
      const framer = new Framer();
      let open = true;
      const end = () => {
        if (!open) return;
        open = false;
        if (this.connection === connection) this.connection = undefined;
        this.connections$.next('x');
      };
      const connection = { incoming, end };
      this.connection = connection;
      subscriber.next({
        incoming,
        send: (bytes) => {
          if (!open) return;
          for (const frame of framer.push(bytes)) this.onPacket(decode(frame, this.version));
        },
        close: end,
      });
      return end;
    });

  /** Sends a packet to the client now. */
  send(packet: Packet): void {
    this.connection?.incoming.next(encode(packet, this.version));
  }

  /** Sends a PUBLISH to the client now. */
  publish(topic: string, qos: 0 | 1 | 2 = 0, messageId?: number): void {
    const p: PublishPacket = { cmd: 'publish', topic, payload: new Uint8Array([1]), qos, dup: false, retain: false };
    if (messageId !== undefined) p.messageId = messageId;
    this.send(p);
  }

  /** The server closes the connection. */
  drop(): void {
    const connection = this.connection;
    if (connection === undefined) return;
    connection.end();
    connection.incoming.complete();
  }

  private onPacket(packet: Packet): void {
    this.log.push({ time: asyncScheduler.now(), packet });
    this.received$.next(packet);
    this.letters$.next(LETTER[packet.cmd] ?? '?');
    const s = this.script;
    const v5 = this.version === 5;
    switch (packet.cmd) {
      case 'connect': {
        this.version = packet.protocolVersion;
        const n = this.connectionCount++;
        const ack = s.connack
          ? s.connack(n, packet)
          : packet.protocolVersion === 5
            ? { cmd: 'connack' as const, sessionPresent: false, reasonCode: 0 }
            : { cmd: 'connack' as const, sessionPresent: false, returnCode: 0 };
        if (ack === undefined) return;
        const target = this.connection;
        const reply = () => {
          if (this.connection === target) this.send(ack);
        };
        if (s.connackDelay) asyncScheduler.schedule(reply, s.connackDelay);
        else reply();
        return;
      }
      case 'subscribe':
        if (s.suback !== false) {
          this.send({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map((x) => x.qos) });
        }
        return;
      case 'unsubscribe':
        this.send(
          v5
            ? { cmd: 'unsuback', messageId: packet.messageId, granted: packet.unsubscriptions.map(() => 0) }
            : { cmd: 'unsuback', messageId: packet.messageId },
        );
        return;
      case 'publish':
        if (packet.qos === 1 && s.puback !== false) this.send({ cmd: 'puback', messageId: packet.messageId ?? 0 });
        if (packet.qos === 2 && s.pubrec !== false) this.send({ cmd: 'pubrec', messageId: packet.messageId ?? 0 });
        return;
      case 'pubrel':
        if (s.pubcomp !== false) this.send({ cmd: 'pubcomp', messageId: packet.messageId });
        return;
      case 'pingreq':
        if (s.pingresp !== false) this.send({ cmd: 'pingresp' });
        return;
      default:
        return;
    }
  }
}

import { asyncScheduler, filter, firstValueFrom, map, type Observable, ReplaySubject, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import { Framer } from '../../src/packets/framer.js';
import type { ConnectPacket, Packet, ProtocolVersion, PublishPacket, QoS } from '../../src/packets/packet.js';
import { connect } from '../../src/client/connect.js';
import { ofCmd, scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';
import type { Duplex, Transport } from '../../src/transport/transport.js';

const text = new TextEncoder();

/** A hand-written client: encodes what the test says, decodes and records what arrives. */
class FakeClient {
  /** Every packet from the broker (replayed, like the broker's streams). */
  readonly packets$ = new ReplaySubject<Packet>();
  readonly packets: Packet[] = [];
  readonly chunks: Uint8Array[] = [];
  ended: 'complete' | Error | undefined;
  openError: Error | undefined;
  private duplex: Duplex | undefined;

  constructor(
    transport: Transport,
    readonly version: ProtocolVersion = 4,
  ) {
    const framer = new Framer();
    transport(new URL('mqtt://broker')).subscribe({
      next: (duplex) => {
        this.duplex = duplex;
        duplex.incoming.subscribe({
          next: (chunk) => {
            this.chunks.push(chunk);
            for (const frame of framer.push(chunk)) {
              const packet = decode(frame, this.version);
              this.packets.push(packet);
              this.packets$.next(packet);
            }
          },
          error: (error: Error) => {
            this.ended = error;
            this.packets$.error(error);
          },
          complete: () => {
            this.ended = 'complete';
            this.packets$.complete();
          },
        });
      },
      error: (error: Error) => {
        this.openError = error;
      },
    });
  }

  /** The `cmd` of each packet from the broker. */
  get commands$(): Observable<string> {
    return this.packets$.pipe(map((packet) => packet.cmd));
  }

  send(packet: Packet): void {
    this.duplex!.send(encode(packet, this.version));
  }

  sendBytes(bytes: Uint8Array): void {
    this.duplex!.send(bytes);
  }

  close(): void {
    this.duplex!.close();
  }

  connect(fields: Partial<ConnectPacket> = {}): void {
    this.send({
      cmd: 'connect',
      protocolId: this.version === 3 ? 'MQIsdp' : 'MQTT',
      protocolVersion: this.version,
      clientId: 'fake',
      clean: true,
      keepalive: 60,
      ...fields,
    });
  }

  subscribe(messageId: number, topic: string, qos: QoS = 0): void {
    this.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos }] });
  }

  publish(topic: string, payload: string, qos: QoS = 0, messageId?: number, retain = false): void {
    const packet: PublishPacket = { cmd: 'publish', topic, payload: text.encode(payload), qos, dup: false, retain };
    if (messageId !== undefined) packet.messageId = messageId;
    this.send(packet);
  }
}

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Runs `fn` at virtual time `ms` (inside `run`). */
function at(ms: number, fn: () => void): void {
  asyncScheduler.schedule(fn, ms);
}

/** The packets of `cmd` a client received. */
function packetsOf<C extends Packet['cmd']>(client: FakeClient, cmd: C): Extract<Packet, { cmd: C }>[] {
  return client.packets.filter((p): p is Extract<Packet, { cmd: C }> => p.cmd === cmd);
}

/** Letters for marble diagrams. */
const CMD = {
  c: 'connect',
  a: 'connack',
  s: 'subscribe',
  k: 'suback',
  u: 'unsubscribe',
  n: 'unsuback',
  P: 'publish',
  b: 'puback',
  e: 'pubrec',
  r: 'pubrel',
  m: 'pubcomp',
  p: 'pingreq',
  q: 'pingresp',
  d: 'disconnect',
  x: 'closed',
  f: 'refused',
} as const;

describe('scriptedBroker: CONNECT and CONNACK', () => {
  it('answers an MQTT 3.1.1 CONNECT with the CONNACK bytes 20 02 00 00, in the same virtual frame', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport, 4);
      client.connect();
      expectObservable(client.commands$).toBe('a', CMD);
      expectObservable(broker.commands$).toBe('c', CMD);
      at(1, () => {
        expect(client.chunks).toEqual([Uint8Array.of(0x20, 0x02, 0x00, 0x00)]); // CONNACK, remaining length 2, flags, return code
        expect(broker.connections).toBe(1);
        expect(broker.connected).toBe(true);
      });
    });
  });

  it('answers MQTT 5 with reason code 0 and assigns a client identifier to an empty one', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport, 5);
      client.connect({ clientId: '' });
      at(0, () =>
        expect(client.packets).toEqual([
          { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { assignedClientIdentifier: 'scripted-broker-1' } },
        ]),
      );
    });
  });

  it('speaks MQTT 3.1 (MQIsdp) and rejects its empty client id with return code 2', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const ok = new FakeClient(broker.transport, 3);
      ok.connect({ clientId: 'a' });
      const empty = new FakeClient(broker.transport, 3);
      empty.connect({ clientId: '' });
      at(0, () => {
        expect(ok.packets).toEqual([{ cmd: 'connack', sessionPresent: false, returnCode: 0 }]);
        expect(empty.packets).toEqual([{ cmd: 'connack', sessionPresent: false, returnCode: 2 }]);
        expect(empty.ended).toBe('complete'); // MQTT-3.2.2-5
      });
    });
  });

  it('delays the CONNACK by exactly the configured virtual time', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { connack: 1500 } });
      const client = new FakeClient(broker.transport);
      client.connect();
      expectObservable(client.commands$).toBe('1500ms a', CMD);
      expectObservable(broker.sent$.pipe(map((p) => p.cmd))).toBe('1500ms a', CMD);
    });
  });

  it('never answers a CONNECT when connack is false', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ connack: false });
      const client = new FakeClient(broker.transport);
      client.connect();
      expectObservable(client.commands$, '^ 120s !').toBe('', CMD);
      expectObservable(broker.commands$).toBe('c', CMD);
    });
  });

  it('scripts the CONNACK per attempt: none, then a refusal that closes the connection, then success', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({
        connack: (_connect, attempt) =>
          attempt === 1 ? undefined : attempt === 2 ? { cmd: 'connack', sessionPresent: false, returnCode: 3 } : { cmd: 'connack', sessionPresent: true, returnCode: 0 },
      });
      let third: FakeClient | undefined;
      const first = new FakeClient(broker.transport);
      first.connect();
      at(10_000, () => {
        first.close();
        const second = new FakeClient(broker.transport);
        second.connect();
      });
      at(20_000, () => {
        third = new FakeClient(broker.transport);
        third.connect();
      });
      // ruler:                      0 … 10 s   … 20 s
      expectObservable(broker.commands$).toBe('c 9999ms (xcx) 9995ms c', CMD);
      at(20_001, () => {
        expect(third!.packets).toEqual([{ cmd: 'connack', sessionPresent: true, returnCode: 0 }]);
        expect(broker.connections).toBe(3);
      });
    });
  });

  it('sends the same scripted ConnackPacket to every CONNECT', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker({ connack: { cmd: 'connack', sessionPresent: false, reasonCode: 0x86 } });
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(0, () => {
        expect(client.packets).toEqual([{ cmd: 'connack', sessionPresent: false, reasonCode: 0x86 }]);
        expect(client.ended).toBe('complete'); // MQTT-3.2.2-7
      });
    });
  });
});

describe('scriptedBroker: subscriptions and routing', () => {
  it('grants the requested QoS and routes a QoS 0 PUBLISH back to the same client', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      at(10, () => client.subscribe(1, 'a/+', 1));
      at(20, () => client.publish('a/b', 'hi'));
      at(30, () => client.publish('other', 'no'));
      expectObservable(broker.commands$).toBe('c 9ms s 9ms P 9ms P', CMD);
      expectObservable(client.commands$).toBe('a 9ms k 9ms P', CMD);
      at(31, () => {
        expect(packetsOf(client, 'suback')).toEqual([{ cmd: 'suback', messageId: 1, granted: [1] }]);
        expect(packetsOf(client, 'publish')).toEqual([{ cmd: 'publish', topic: 'a/b', payload: text.encode('hi'), qos: 0, dup: false, retain: false }]);
      });
    });
  });

  it('QoS 1: PUBACK to the client, the routed copy at the granted QoS, and the flow as sender', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { puback: 5 } });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => client.subscribe(1, 'a', 1));
      at(2, () => client.publish('a', 'x', 1, 7));
      at(3, () => client.send({ cmd: 'puback', messageId: 1 })); // acknowledges the routed copy
      // routed copy at 2 (before the PUBACK, which waits 5 ms)
      expectObservable(client.commands$).toBe('a k P 4ms b', CMD);
      expectObservable(broker.sent$.pipe(map((p) => p.cmd))).toBe('a k P 4ms b', CMD);
      at(8, () => {
        expect(packetsOf(client, 'publish')[0]).toMatchObject({ topic: 'a', qos: 1, messageId: 1 });
        expect(packetsOf(client, 'puback')).toEqual([{ cmd: 'puback', messageId: 7 }]);
      });
    });
  });

  it('QoS 2 from the client: PUBREC, then PUBCOMP on PUBREL; a duplicate before PUBREL is not routed again (MQTT-4.3.3)', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { pubrec: 10, pubcomp: 20 } });
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(1, () => client.subscribe(1, 'q', 0));
      at(2, () => client.publish('q', 'once', 2, 9));
      at(3, () => client.send({ cmd: 'publish', topic: 'q', payload: text.encode('once'), qos: 2, dup: true, retain: false, messageId: 9 }));
      at(50, () => client.send({ cmd: 'pubrel', messageId: 9, reasonCode: 0 }));
      expectObservable(client.commands$).toBe('a k P 9ms e e 56ms m', CMD);
      at(71, () => {
        expect(packetsOf(client, 'publish')).toHaveLength(1);
        expect(packetsOf(client, 'pubcomp')).toEqual([{ cmd: 'pubcomp', messageId: 9, reasonCode: 0 }]);
      });
    });
  });

  it('publish() at QoS 2: PUBLISH, PUBREL after PUBREC, and emits the PUBCOMP', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { pubrel: 100 } });
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      const done = new ReplaySubject<Packet>();
      at(10, () => broker.publish('t', 'payload', { qos: 2, properties: { contentType: 'text/plain' } }).subscribe(done));
      at(20, () => client.send({ cmd: 'pubrec', messageId: 1, reasonCode: 0 }));
      at(200, () => client.send({ cmd: 'pubcomp', messageId: 1, reasonCode: 0 }));
      expectObservable(client.commands$).toBe('a 9ms P 109ms r', CMD);
      expectObservable(done).toBe('200ms (m|)', { m: { cmd: 'pubcomp', messageId: 1, reasonCode: 0 } });
      at(11, () =>
        expect(packetsOf(client, 'publish')).toEqual([
          { cmd: 'publish', topic: 't', payload: text.encode('payload'), qos: 2, dup: false, retain: false, messageId: 1, properties: { contentType: 'text/plain' } },
        ]),
      );
    });
  });

  it('publish() at QoS 1 with a given messageId emits the PUBACK; QoS 0 completes at once', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      const one = new ReplaySubject<Packet>();
      const zero = new ReplaySubject<Packet>();
      at(5, () => broker.publish('t', Uint8Array.of(1), { qos: 1, messageId: 42, retain: true }).subscribe(one));
      at(5, () => broker.publish('t', 'z').subscribe(zero));
      at(8, () => client.send({ cmd: 'puback', messageId: 42 }));
      expectObservable(one).toBe('8ms (b|)', { b: { cmd: 'puback', messageId: 42 } });
      expectObservable(zero).toBe('5ms |');
      at(6, () => expect(packetsOf(client, 'publish')[0]).toMatchObject({ messageId: 42, retain: true, qos: 1 }));
    });
  });

  it("publish()'s flow errors when the connection ends before the acknowledgement", () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      const flow = new ReplaySubject<Packet>();
      at(5, () => broker.publish('t', 'x', { qos: 1 }).subscribe(flow));
      at(9, () => client.close());
      expectObservable(flow).toBe('9ms #', undefined, new Error('scripted broker: connection 1 ended before the QoS 1 flow of message 1 completed'));
    });
  });

  it('scripts SUBACK reason codes per filter; a refused filter is not subscribed', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker({ suback: (s) => s.subscriptions.map((sub) => (sub.topic === 'secret' ? 0x87 : sub.qos)) });
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(1, () => client.send({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'open', qos: 2 }, { topic: 'secret', qos: 0 }] }));
      at(2, () => client.publish('secret', 'no'));
      at(3, () => client.publish('open', 'yes'));
      at(4, () => {
        expect(packetsOf(client, 'suback')).toEqual([{ cmd: 'suback', messageId: 3, granted: [2, 0x87] }]);
        expect(packetsOf(client, 'publish').map((p) => p.topic)).toEqual(['open']);
      });
    });
  });

  it('answers UNSUBSCRIBE (MQTT 5: 0x00, or 0x11 when there was no subscription) and stops routing', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(1, () => client.subscribe(1, 'a'));
      at(2, () => client.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a', 'b'] }));
      at(3, () => client.publish('a', 'gone'));
      at(4, () => {
        expect(packetsOf(client, 'unsuback')).toEqual([{ cmd: 'unsuback', messageId: 2, granted: [0, 0x11] }]);
        expect(packetsOf(client, 'publish')).toEqual([]);
      });
    });
  });

  it('MQTT 5 No Local skips the sender; subscription identifiers are added to routed messages', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(1, () => client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'own', qos: 0, nl: true }] }));
      at(1, () => client.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'id/#', qos: 0 }], properties: { subscriptionIdentifier: 5 } }));
      at(2, () => client.publish('own', 'skipped'));
      at(2, () => client.publish('id/x', 'tagged'));
      at(3, () => expect(packetsOf(client, 'publish')).toEqual([
        { cmd: 'publish', topic: 'id/x', payload: text.encode('tagged'), qos: 0, dup: false, retain: false, properties: { subscriptionIdentifier: 5 } },
      ]));
    });
  });

  it('routes between two connections', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const a = new FakeClient(broker.transport);
      a.connect({ clientId: 'a' });
      const b = new FakeClient(broker.transport);
      b.connect({ clientId: 'b' });
      at(1, () => b.subscribe(1, '#'));
      at(2, () => a.publish('x', 'from a'));
      at(3, () => {
        expect(packetsOf(b, 'publish').map((p) => p.topic)).toEqual(['x']);
        expect(packetsOf(a, 'publish')).toEqual([]);
      });
    });
  });

  it('keeps retained messages, sends them after the SUBACK with retain set, and clears them on an empty payload', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { suback: 3 } });
      broker.retain('r/preset', 'preset', { qos: 1 });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => client.publish('r/live', 'live', 0, undefined, true));
      at(2, () => client.subscribe(1, 'r/#', 0));
      at(10, () => client.publish('r/live', '', 0, undefined, true));
      at(11, () => client.subscribe(2, 'r/live', 0));
      expectObservable(client.commands$).toBe('a 4ms (kPP) P 3ms k', CMD);
      at(20, () => {
        const publishes = packetsOf(client, 'publish');
        expect(publishes.slice(0, 2).map((p) => [p.topic, p.retain, p.qos])).toEqual([
          ['r/preset', true, 0],
          ['r/live', true, 0],
        ]);
        expect(publishes[2]).toMatchObject({ topic: 'r/live', retain: false, payload: new Uint8Array(0) }); // MQTT-3.3.1-9
      });
    });
  });
});

describe('scriptedBroker: PINGREQ, replies switched off, configure', () => {
  it('answers PINGREQ after the configured delay, and not once pingresp is switched off', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { pingresp: 250 } });
      const client = new FakeClient(broker.transport);
      client.connect({ keepalive: 10 });
      at(10_000, () => client.send({ cmd: 'pingreq' }));
      at(15_000, () => broker.configure({ pingresp: false }));
      at(20_000, () => client.send({ cmd: 'pingreq' }));
      // ruler:            0    10 s          10.25 s
      expectObservable(broker.commands$).toBe('c 9999ms p 9999ms p', CMD);
      expectObservable(client.commands$, '^ 60s !').toBe('a 10249ms q', CMD);
    });
  });

  it('leaves every acknowledgement to the script when switched off, and send() writes any packet', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ suback: false, unsuback: false, puback: false, pubrec: false, pubcomp: false });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => client.subscribe(1, 'a'));
      at(2, () => client.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a'] }));
      at(3, () => client.publish('b', '1', 1, 3));
      at(4, () => client.publish('b', '2', 2, 4));
      at(5, () => client.send({ cmd: 'pubrel', messageId: 4 }));
      at(6, () => broker.send({ cmd: 'suback', messageId: 1, granted: [0x80] }));
      expectObservable(client.commands$).toBe('a 5ms k', CMD);
    });
  });
});

describe('scriptedBroker: drop, fail, refuse', () => {
  it('drop() completes the client incoming and shows as closed', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      at(30, () => broker.drop());
      expectObservable(client.commands$).toBe('a 29ms |', CMD);
      expectObservable(broker.commands$).toBe('c 29ms x', CMD);
      expectObservable(broker.connection$).toBe('o 29ms x', {
        o: { type: 'open', connection: 1, url: new URL('mqtt://broker') },
        x: { type: 'closed', connection: 1, by: 'broker' },
      });
      at(31, () => {
        expect(broker.connected).toBe(false);
        expect(() => broker.send({ cmd: 'pingresp' })).toThrow('no open connection');
      });
    });
  });

  it('fail(error) errors the client incoming', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      const error = new Error('boom');
      at(7, () => broker.fail(error));
      expectObservable(client.commands$).toBe('a 6ms #', CMD, error);
      expectObservable(broker.connection$.pipe(filter((e) => e.type === 'closed'))).toBe('7ms x', {
        x: { type: 'closed', connection: 1, by: 'broker', error },
      });
    });
  });

  it('fail() without an argument uses an ECONNRESET error', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => broker.fail());
      at(2, () => expect(client.ended).toMatchObject({ code: 'ECONNRESET' }));
    });
  });

  it('a client closing its transport shows as closed by the client; pending replies are cancelled', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { connack: 100 } });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(50, () => client.close());
      expectObservable(broker.sent$).toBe('');
      expectObservable(broker.connection$.pipe(filter((e) => e.type === 'closed'))).toBe('50ms x', {
        x: { type: 'closed', connection: 1, by: 'client' },
      });
    });
  });

  it('refuses the first N attempts (option) and more on demand (refuse())', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ refuse: 2 });
      const clients: FakeClient[] = [];
      const attempt = (): void => {
        const client = new FakeClient(broker.transport);
        clients.push(client);
        if (client.openError === undefined) client.connect();
      };
      attempt();
      at(1000, attempt);
      at(3000, attempt);
      at(3001, () => broker.refuse());
      at(4000, () => {
        broker.drop();
        attempt();
      });
      expectObservable(broker.commands$).toBe('f 999ms f 1999ms c 999ms (xf)', CMD);
      at(4001, () => {
        expect(clients.map((c) => c.openError?.message)).toEqual([
          'connect ECONNREFUSED (scripted broker)',
          'connect ECONNREFUSED (scripted broker)',
          undefined,
          'connect ECONNREFUSED (scripted broker)',
        ]);
        expect(clients[0]!.openError).toMatchObject({ code: 'ECONNREFUSED' });
        expect(broker.attempts).toBe(4);
        expect(broker.connections).toBe(1);
      });
    });
  });
});

describe('scriptedBroker: protocol errors close the connection', () => {
  function closedError(broker: ScriptedBroker): Error | undefined {
    let error: Error | undefined;
    broker.connection$.subscribe((e) => {
      if (e.type === 'closed') error = e.error;
    });
    return error;
  }

  it('malformed bytes (a remaining length over 4 bytes, MQTT-1.5.5-1)', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => client.sendBytes(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f)));
      at(2, () => {
        expect(client.ended).toBe('complete');
        expect(closedError(broker)).toBeInstanceOf(MqttProtocolError);
        expect(closedError(broker)).toMatchObject({ reasonCode: 0x81 });
      });
    });
  });

  it('a first packet other than CONNECT (MQTT-3.1.0-1)', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.send({ cmd: 'pingreq' });
      at(1, () => {
        expect(client.ended).toBe('complete');
        expect(client.packets).toEqual([]);
        expect(closedError(broker)).toMatchObject({ reasonCode: 0x82 });
      });
    });
  });

  it('a second CONNECT (MQTT-3.1.0-2): MQTT 5 gets DISCONNECT 0x82 first', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport, 5);
      client.connect();
      at(5, () => client.connect());
      expectObservable(client.commands$).toBe('a 4ms (d|)', { ...CMD, d: 'disconnect' });
      at(6, () => expect(client.packets[1]).toEqual({ cmd: 'disconnect', reasonCode: 0x82 }));
    });
  });

  it('a packet over maxPacketSize (0x95)', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker({ maxPacketSize: 64 });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(1, () => client.publish('big', 'x'.repeat(100)));
      at(2, () => expect(closedError(broker)).toMatchObject({ reasonCode: 0x95 }));
    });
  });
});

describe('scriptedBroker: sessions', () => {
  it('resumes the subscriptions of a Clean Session 0 client and says sessionPresent', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const first = new FakeClient(broker.transport);
      first.connect({ clientId: 'keep', clean: false });
      at(1, () => first.subscribe(1, 'k'));
      at(2, () => first.close());
      let second: FakeClient | undefined;
      at(3, () => {
        second = new FakeClient(broker.transport);
        second.connect({ clientId: 'keep', clean: false });
      });
      at(4, () => second!.publish('k', 'still subscribed'));
      at(5, () => {
        expect(packetsOf(second!, 'connack')).toEqual([{ cmd: 'connack', sessionPresent: true, returnCode: 0 }]);
        expect(packetsOf(second!, 'publish')).toHaveLength(1);
      });
    });
  });

  it('a clean connection starts without subscriptions', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const first = new FakeClient(broker.transport, 5);
      first.connect({ clientId: 'c', properties: { sessionExpiryInterval: 60 } });
      at(1, () => first.subscribe(1, 'k'));
      at(2, () => first.close());
      let second: FakeClient | undefined;
      at(3, () => {
        second = new FakeClient(broker.transport, 5);
        second.connect({ clientId: 'c', clean: true });
      });
      at(4, () => second!.publish('k', 'nobody'));
      at(5, () => {
        expect(packetsOf(second!, 'connack')).toEqual([{ cmd: 'connack', sessionPresent: false, reasonCode: 0 }]);
        expect(packetsOf(second!, 'publish')).toHaveLength(0);
      });
    });
  });

  it('a second connection with the same client id takes the session over (MQTT-3.1.4-3)', () => {
    testScheduler().run(() => {
      const broker = scriptedBroker();
      const first = new FakeClient(broker.transport, 5);
      first.connect({ clientId: 'same' });
      let second: FakeClient | undefined;
      at(1, () => {
        second = new FakeClient(broker.transport, 5);
        second.connect({ clientId: 'same' });
      });
      at(2, () => {
        expect(packetsOf(first, 'disconnect')).toEqual([{ cmd: 'disconnect', reasonCode: 0x8e }]);
        expect(first.ended).toBe('complete');
        expect(second!.ended).toBeUndefined();
      });
    });
  });
});

describe('scriptedBroker: observation', () => {
  it('received$ and commands$ replay what happened before the subscription', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = new FakeClient(broker.transport);
      client.connect({ clientId: 'early' });
      // expectObservable subscribes at frame 0, after the CONNECT above was sent
      expectObservable(broker.received$.pipe(map((p) => (p.cmd === 'connect' ? p.clientId : p.cmd)))).toBe('c', { c: 'early' });
    });
  });
});

describe('ofCmd: packets of some kinds, typed', () => {
  it('keeps the PUBLISHes a client sent, at the virtual times the broker received them', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { puback: 5 } });
      const client = new FakeClient(broker.transport);
      client.connect();
      at(10, () => client.publish('a', 'x', 1, 1));
      at(20, () => client.publish('b', 'y'));
      // ofCmd('publish') is typed: `topic` and `qos` need no narrowing
      expectObservable(broker.received$.pipe(ofCmd('publish'), map((p) => `${p.topic}${p.qos}`))).toBe('10ms a 9ms b', { a: 'a1', b: 'b0' });
      expectObservable(broker.sent$.pipe(ofCmd('connack', 'puback'), map((p) => p.cmd))).toBe('c 14ms p', { c: 'connack', p: 'puback' });
    });
  });
});

describe('scriptedBroker in real time (asyncScheduler outside TestScheduler)', () => {
  it('answers after real delays on the default scheduler', async () => {
    const broker = scriptedBroker({ delays: { connack: 5, suback: 5 } });
    const client = new FakeClient(broker.transport, 5);
    const answers = firstValueFrom(client.commands$.pipe(take(2), toArray()));
    client.connect();
    client.subscribe(1, 't', 1);
    expect(client.packets).toEqual([]); // nothing synchronously: replies go through the scheduler
    expect(await answers).toEqual(['connack', 'suback']);
    broker.drop();
  });
});

// The complete examples of docs/testing.md are test/testing/examples/*.test.ts.
describe('scriptedBroker with the rx-mqtt client', () => {
  it('publish and receive: CONNACK after 100 ms, PUBACK after 20 ms more', () => {
    testScheduler().run(({ expectObservable }) => {
      const broker = scriptedBroker({ delays: { connack: 100, puback: 20 } });
      const client = connect('mqtt://broker', { transport: broker.transport, protocolVersion: 5 });
      at(1000, () => client.end().subscribe());
      expectObservable(client.topic('a/#', { qos: 1 }).pipe(map((m) => m.topic))).toBe('100ms t 899ms |', { t: 'a/b' });
      expectObservable(client.publish('a/b', 'hi', { qos: 1 })).toBe('120ms (r|)', { r: { packetId: 2, reasonCode: 0 } });
      expectObservable(broker.commands$).toBe('c 99ms (sPb) 895ms (dx)', {
        c: 'connect',
        s: 'subscribe',
        P: 'publish',
        b: 'puback',
        d: 'disconnect',
        x: 'closed',
      });
    });
  });
});

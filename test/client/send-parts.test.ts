import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import type { Duplex, Transport } from '../../src/transport/transport.js';
import { FakeBroker } from '../marbles/fake-broker.js';

/** Runs `fn` in virtual time and flushes. */
function virtual(fn: () => void): void {
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => fn());
}

/** `inner` with `sendParts` added: records each call and sends the two parts one after the other. */
function withParts(inner: Transport, calls: { head: Uint8Array; body: Uint8Array }[]): Transport {
  return (url) =>
    inner(url).pipe(
      map((duplex): Duplex => ({
        incoming: duplex.incoming,
        send: (bytes) => duplex.send(bytes),
        sendParts: (head, body) => {
          calls.push({ head, body });
          duplex.send(head);
          duplex.send(body);
        },
        close: () => duplex.close(),
      })),
    );
}

const sized = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 7 + 1) & 0xff);

describe('client send path: a large PUBLISH payload is handed over uncopied', () => {
  it.each([0, 1, 2] as const)('QoS %i: a payload of 1 KiB or more goes to sendParts as it is, a smaller one in the packet', (qos) => {
    const broker = new FakeBroker();
    const calls: { head: Uint8Array; body: Uint8Array }[] = [];
    const small = sized(1023);
    const large = sized(1024);
    virtual(() => {
      const client = connect('mqtt://b', { transport: withParts(broker.transport, calls), random: () => 0 });
      client.publish('t/small', small, { qos }).subscribe();
      client.publish('t/large', large, { qos }).subscribe();
      client.end();
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toBe(large);
    const published = broker.log.map((e) => e.packet).filter((p): p is PublishPacket => p.cmd === 'publish');
    expect(published.map((p) => [p.topic, p.qos, Array.from(p.payload)])).toEqual([
      ['t/small', qos, Array.from(small)],
      ['t/large', qos, Array.from(large)],
    ]);
  });

  it('a transport without sendParts (WebSocket, memory) gets each PUBLISH whole, in one send', () => {
    const broker = new FakeBroker();
    const sends: Uint8Array[] = [];
    const counting: Transport = (url) =>
      broker.transport(url).pipe(
        map((duplex): Duplex => ({
          incoming: duplex.incoming,
          send: (bytes) => {
            sends.push(bytes);
            duplex.send(bytes);
          },
          close: () => duplex.close(),
        })),
      );
    const large = sized(5000);
    virtual(() => {
      const client = connect('mqtt://b', { transport: counting, random: () => 0 });
      client.publish('t', large).subscribe();
      client.end();
    });
    const publish = sends.find((bytes) => (bytes[0]! & 0xf0) === 0x30);
    expect(publish?.length).toBe(1 + 2 + 2 + 1 + large.length); // header, remaining length, topic, payload
    expect(Array.from(publish!.subarray(publish!.length - large.length))).toEqual(Array.from(large));
  });
});

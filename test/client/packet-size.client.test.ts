/**
 * The server's Maximum Packet Size through the whole client, against the scripted
 * broker in virtual time: a topic() whose SUBSCRIBE would exceed it fails locally with
 * a RangeError (MQTT-3.2.2-15), nothing is sent, the connection stays.
 */
import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { Packet } from '../../src/packets/packet.js';
import { scriptedBroker } from '../../src/testing/index.js';

describe('client MQTT 5: the server Maximum Packet Size holds for SUBSCRIBE (MQTT-3.2.2-15)', () => {
  it('MQTT-3.2.2-15: topic() with a filter too long fails with a RangeError naming it, unsent; another topic() works, still connected', () => {
    const long = 'a/' + 'x'.repeat(200);
    const received: Packet[] = [];
    const statuses: string[] = [];
    let error: unknown;
    const payloads: string[] = [];
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => {
      const broker = scriptedBroker({
        connack: { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { maximumPacketSize: 100 } },
      });
      broker.received$.subscribe((p) => received.push(p));
      const client = connect('mqtt://broker', { transport: broker.transport, protocolVersion: 5 });
      client.state$.subscribe((s) => statuses.push(s.status));
      asyncScheduler.schedule(() => {
        client.topic(long).subscribe({ error: (e: unknown) => (error = e) });
        client.topic('a/b').subscribe((m) => payloads.push(new TextDecoder().decode(m.payload)));
      }, 10);
      asyncScheduler.schedule(() => client.publish('a/b', 'hi').subscribe(), 20);
      asyncScheduler.schedule(() => client.end(), 100);
    });
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(`"${long}"`);
    expect((error as Error).message).toContain('Maximum Packet Size (100 bytes)');
    const subscribes = received.filter((p) => p.cmd === 'subscribe');
    expect(subscribes.map((p) => p.cmd === 'subscribe' && p.subscriptions[0]?.topic)).toEqual(['a/b']);
    expect(payloads).toEqual(['hi']);
    expect(statuses).toEqual(['connecting', 'connected', 'closed']);
  });
});

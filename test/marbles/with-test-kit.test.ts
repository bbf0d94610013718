import { asyncScheduler, map } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';
import { scriptedBroker } from '../../src/testing/index.js';

// The same rules as client-timing.test.ts, against the public test kit (rx-mqtt/testing).
const cmds = {
  c: 'connect',
  p: 'pingreq',
  x: 'closed',
  P: 'publish',
  r: 'pubrel',
  s: 'subscribe',
  d: 'disconnect',
  f: 'refused',
} as const;

function run(fn: (helpers: RunHelpers) => void): void {
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(fn);
}

describe('the client against the scripted broker', () => {
  it('MQTT-3.1.2-23: PINGREQ after 10 s of silence; no PINGRESP within 10 s more: lost, CONNECT again after 1 s', () => {
    run(({ expectObservable }) => {
      const broker = scriptedBroker({ pingresp: false });
      const client = connect('mqtt://broker', { transport: broker.transport, keepalive: 10, random: () => 0 });
      asyncScheduler.schedule(() => client.end({ force: true }), 25000);
      // broker:  answers CONNECT, never PINGREQ
      // client:  CONNECT, PINGREQ at 10 s, gives up at 20 s, CONNECT again at 21 s, ends at 25 s
      expectObservable(broker.commands$).toBe('c 9999ms p 9999ms x 999ms c 3999ms (dx)', cmds);
    });
  });

  it('MQTT-4.4.0-1: QoS 1 PUBLISH resent with DUP, QoS 2 PUBREL resent, on a resumed session', () => {
    run(({ expectObservable }) => {
      const broker = scriptedBroker({ puback: false, pubcomp: false });
      const client = connect('mqtt://broker', {
        transport: broker.transport,
        clean: false,
        clientId: 'resume',
        random: () => 0,
      });
      const ignore = { error: () => undefined };
      client.publish('one', 'a', { qos: 1 }).subscribe(ignore);
      client.publish('two', 'b', { qos: 2 }).subscribe(ignore);
      asyncScheduler.schedule(() => broker.drop(), 50);
      asyncScheduler.schedule(() => client.end({ force: true }), 2000);
      // 0: CONNECT, PUBLISH 1, PUBLISH 2, PUBREL 2 (after PUBREC); 50: dropped;
      // 1050: CONNECT (session present), PUBLISH 1 with DUP, PUBREL 2; 2000: DISCONNECT.
      expectObservable(broker.commands$).toBe('(cPPr) 44ms x 999ms (cPr) 945ms (dx)', cmds);
      const dups = broker.received$.pipe(
        map((p) => (p.cmd === 'publish' ? `${(p as PublishPacket).messageId}${p.dup ? 'D' : ''}` : p.cmd)),
      );
      expectObservable(dups).toBe('(abcd) 1044ms (efg) 945ms h', {
        a: 'connect',
        b: '1',
        c: '2',
        d: 'pubrel',
        e: 'connect',
        f: '1D',
        g: 'pubrel',
        h: 'disconnect',
      });
    });
  });

  it('resubscribes after a reconnect without a session', () => {
    run(({ expectObservable }) => {
      const broker = scriptedBroker();
      const client = connect('mqtt://broker', { transport: broker.transport, random: () => 0 });
      client.topic('a/+').subscribe();
      asyncScheduler.schedule(() => broker.drop(), 10);
      asyncScheduler.schedule(() => client.end(), 2000);
      expectObservable(broker.commands$).toBe('(cs) 6ms x 999ms (cs) 986ms (dx)', cmds);
    });
  });

  it('a refused transport is retried with the backoff; a fatal CONNACK (0x86) ends the client', () => {
    run(({ expectObservable }) => {
      const broker = scriptedBroker({
        refuse: 2,
        connack: { cmd: 'connack', sessionPresent: false, reasonCode: 0x86 },
      });
      const client = connect('mqtt://broker', { transport: broker.transport, protocolVersion: 5, random: () => 0 });
      let error: unknown;
      client.state$.subscribe((s) => {
        if (s.status === 'closed') error = s.error;
      });
      // refused at 0 and 1 s, CONNECT at 3 s refused by CONNACK: closed for good.
      expectObservable(broker.commands$).toBe('f 999ms f 1999ms (cx)', cmds);
      asyncScheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect(error).toMatchObject({ reasonCode: 0x86 });
      }, 5000);
    });
  });
});

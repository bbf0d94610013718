import { map, type Observable } from 'rxjs';
import type { Packet } from '../../src/packets/packet.js';
import { ofCmd, type ScriptedBroker } from '../../src/testing/index.js';
import { clientOnKit, CMD, marbles } from '../support/client-marbles.js';

/** What the broker received, in short: `topic:messageId` (+ `D` with DUP) for a PUBLISH, `rel:messageId` for a PUBREL, else the cmd. */
function summary(broker: ScriptedBroker): Observable<string> {
  return broker.received$.pipe(
    map((p: Packet) => {
      if (p.cmd === 'publish') return `${p.topic}:${p.messageId ?? '-'}${p.dup ? 'D' : ''}`;
      if (p.cmd === 'pubrel') return `rel:${p.messageId}`;
      return p.cmd;
    }),
  );
}

describe('resume after a reconnect', () => {
  it('MQTT-4.4.0-1: resends the unacknowledged PUBLISH with DUP and the PUBREL when the session is present', () => {
    marbles(({ expectObservable }, scheduler) => {
      // Clean Session 0: the broker keeps the session and its CONNACK says so on the second connection.
      const { broker, client } = clientOnKit(scheduler, { puback: false, pubcomp: false }, { clean: false });
      const ignore = { error: () => undefined };
      client.publish('one', 'a', { qos: 1 }).subscribe(ignore);
      client.publish('two', 'b', { qos: 2 }).subscribe(ignore);
      scheduler.schedule(() => broker.drop(), 50);
      scheduler.schedule(() => client.end({ force: true }), 2000);
      // 0: CONNECT, PUBLISH 1, PUBLISH 2, PUBREL 2 (after PUBREC); 50: dropped;
      // 1050: CONNECT (session present), PUBLISH 1 with DUP, PUBREL 2; 2000: DISCONNECT.
      expectObservable(broker.commands$).toBe('(cPPr) 44ms x 999ms (cPr) 945ms (dx)', CMD);
      expectObservable(summary(broker)).toBe('(abcd) 1044ms (efg) 945ms h', {
        a: 'connect',
        b: 'one:1',
        c: 'two:2',
        d: 'rel:2',
        e: 'connect',
        f: 'one:1D',
        g: 'rel:2',
        h: 'disconnect',
      });
      const sessionPresent = broker.sent$.pipe(ofCmd('connack'), map((p) => p.sessionPresent));
      expectObservable(sessionPresent).toBe('f 1049ms t', { f: false, t: true });
    });
  });

  it('resubscribes by itself when the new connection has no session', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler);
      client.topic('x/+', { qos: 1 }).subscribe();
      scheduler.schedule(() => broker.drop(), 50);
      scheduler.schedule(() => client.end(), 2000);
      expectObservable(broker.commands$).toBe('(cs) 46ms x 999ms (cs) 946ms (dx)', CMD);
    });
  });

  it('sends unacknowledged QoS 1 again as a new message when the session is gone', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false });
      scheduler.schedule(() => broker.drop(), 50);
      scheduler.schedule(() => broker.send({ cmd: 'puback', messageId: 1 }), 1100);
      scheduler.schedule(() => client.end(), 2000);
      expectObservable(client.publish('one', 'a', { qos: 1 })).toBe('1100ms (r|)', { r: { packetId: 1, reasonCode: 0 } });
      expectObservable(broker.commands$).toBe('(cP) 46ms x 999ms (cP) 946ms (dx)', CMD);
      // Both PUBLISHes without DUP: the second is a new message on a new session.
      expectObservable(summary(broker)).toBe('(ab) 1046ms (ab) 946ms d', { a: 'connect', b: 'one:1', d: 'disconnect' });
    });
  });
});

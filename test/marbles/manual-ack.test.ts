import { concatMap, map, timer } from 'rxjs';
import { ofCmd } from '../../src/testing/index.js';
import { clientOnKit, CMD, marbles } from '../support/client-marbles.js';

describe('manual acknowledgement (topic(filter, { ack: "manual" }))', () => {
  it('PUBACK goes out when ack() is called, not when the message arrives', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler);
      // A consumer that takes 30 ms per message, one at a time, and acks when done.
      client
        .topic('jobs', { qos: 1, ack: 'manual' })
        .pipe(concatMap((m) => timer(30, scheduler).pipe(map(() => m))))
        .subscribe((m) => m.ack());
      scheduler.schedule(() => broker.publish('jobs', 'one', { qos: 1 }).subscribe(), 10);
      scheduler.schedule(() => broker.publish('jobs', 'two', { qos: 1 }).subscribe(), 11);
      scheduler.schedule(() => client.end(), 100);
      // ruler: 0 CONNECT+SUBSCRIBE; 40 PUBACK (10 + 30); 70 PUBACK (40 + 30); 100 DISCONNECT
      expectObservable(broker.commands$).toBe('(cs) 36ms a 29ms a 29ms (dx)', CMD);
      expectObservable(broker.received$.pipe(ofCmd('puback'), map((p) => p.messageId))).toBe(
        '40ms a 29ms b',
        { a: 1, b: 2 },
      );
    });
  });

  it('an auto stream beside a manual one does not ack early: the PUBACK waits for the manual ack()', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler);
      client.topic('jobs', { qos: 1 }).subscribe();
      client
        .topic('jobs', { qos: 1, ack: 'manual' })
        .subscribe((m) => scheduler.schedule(() => m.ack(), 25));
      scheduler.schedule(() => broker.publish('jobs', 'one', { qos: 1 }).subscribe(), 10);
      scheduler.schedule(() => client.end(), 100);
      // 0 CONNECT+SUBSCRIBE (one subscription for both streams); 35 PUBACK; 100 DISCONNECT
      expectObservable(broker.commands$).toBe('(cs) 31ms a 64ms (dx)', CMD);
    });
  });

  it('QoS 2: PUBREC waits for ack(); PUBREL / PUBCOMP follow', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler);
      client.topic('jobs', { qos: 2, ack: 'manual' }).subscribe((m) => scheduler.schedule(() => m.ack(), 50));
      scheduler.schedule(() => broker.publish('jobs', 'one', { qos: 2 }).subscribe(), 10);
      scheduler.schedule(() => client.end(), 100);
      // 0 CONNECT+SUBSCRIBE; 60 PUBREC, then the broker's PUBREL is answered by PUBCOMP; 100 DISCONNECT
      expectObservable(broker.commands$).toBe('(cs) 56ms (em) 36ms (dx)', CMD);
    });
  });

  it('MQTT 5: properties.receiveMaximum goes out in CONNECT, bounding what the broker sends unacked', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5, properties: { receiveMaximum: 4 } });
      scheduler.schedule(() => client.end(), 10);
      expectObservable(broker.received$.pipe(ofCmd('connect'), map((p) => p.properties?.receiveMaximum))).toBe('a', {
        a: 4,
      });
    });
  });

  it('MQTT 5: ack({ reasonCode: 0x99, reasonString }) refuses the message in its PUBACK; a bad reason throws and leaves the message unacked', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      const thrown: unknown[] = [];
      client.topic('jobs', { qos: 1, ack: 'manual' }).subscribe((m) => {
        scheduler.schedule(() => {
          try {
            m.ack({ reasonCode: 0x81 }); // not a PUBACK reason code
          } catch (error) {
            thrown.push(error);
          }
          m.ack({ reasonCode: 0x99, reasonString: 'not JSON' });
          m.ack(); // idempotent: nothing more goes out
        }, 20);
      });
      scheduler.schedule(() => broker.publish('jobs', 'oops', { qos: 1 }).subscribe(), 10);
      scheduler.schedule(() => client.end(), 100);
      expectObservable(broker.received$.pipe(ofCmd('puback'))).toBe('30ms a', {
        a: { cmd: 'puback', messageId: 1, reasonCode: 0x99, properties: { reasonString: 'not JSON' } },
      });
      scheduler.schedule(() => expect(thrown).toEqual([expect.any(RangeError)]), 50);
    });
  });

  it("a bad ack option fails the stream with a TypeError naming it", () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler);
      const bad = { ack: 'later' } as unknown as { ack: 'manual' };
      expectObservable(client.topic('jobs', bad)).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('ack') }),
      );
      scheduler.schedule(() => client.end(), 10);
    });
  });
});

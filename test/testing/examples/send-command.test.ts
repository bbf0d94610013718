// send-command.test.ts
import { asyncScheduler, map, type Observable, type SchedulerLike, timeout, TimeoutError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect, type MqttClient, type PublishResult } from '../../../src/index.js';
import { ofCmd, scriptedBroker } from '../../../src/testing/index.js';

/**
 * Publishes a command at QoS 2 and fails with `TimeoutError` when its flow has not
 * completed (PUBCOMP) within `timeoutMs`.
 */
export function sendCommand(
  client: MqttClient,
  topic: string,
  payload: string,
  timeoutMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PublishResult> {
  return client.publish(topic, payload, { qos: 2 }).pipe(timeout({ first: timeoutMs, scheduler }));
}

const cmds = { c: 'connect', P: 'publish', r: 'pubrel', d: 'disconnect', x: 'closed' };

describe('sendCommand', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('completes on the PUBCOMP, at the exact frame', () => {
    scheduler.run(({ expectObservable }) => {
      // PUBREC 100 ms after the PUBLISH, PUBCOMP 50 ms after the PUBREL.
      const broker = scriptedBroker({ scheduler, delays: { pubrec: 100, pubcomp: 50 } });
      const client = connect('mqtt://broker', { transport: broker.transport, scheduler });
      scheduler.schedule(() => client.end().subscribe(), 1000);

      expectObservable(sendCommand(client, 'cmd/lamp', 'on', 500, scheduler)).toBe('150ms (r|)', {
        r: { packetId: 1, reasonCode: 0 },
      });
      // What the client sent, and when: PUBLISH at 0, PUBREL on the PUBREC at 100.
      expectObservable(broker.commands$).toBe('(cP) 96ms r 899ms (dx)', cmds);
      expectObservable(broker.received$.pipe(ofCmd('publish'), map((p) => `${p.topic} qos ${p.qos}`))).toBe('p', {
        p: 'cmd/lamp qos 2',
      });
    });
  });

  it('fails with TimeoutError at exactly timeoutMs when the PUBREC comes too late', () => {
    scheduler.run(({ expectObservable }) => {
      const broker = scriptedBroker({ scheduler, delays: { pubrec: 800 } });
      const client = connect('mqtt://broker', { transport: broker.transport, scheduler });
      scheduler.schedule(() => client.end().subscribe(), 1000);

      expectObservable(sendCommand(client, 'cmd/lamp', 'on', 500, scheduler)).toBe('500ms #', undefined, expect.any(TimeoutError));
      // The timeout only stops the waiting: the message was sent, and its flow still
      // completes when the PUBREC arrives at 800 (PUBREL, then PUBCOMP in the same frame).
      expectObservable(broker.commands$).toBe('(cP) 796ms r 199ms (dx)', cmds);
    });
  });
});

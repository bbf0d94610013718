import type { Observable } from 'rxjs';
import { MqttClosedError } from '../../src/protocol/errors.js';
import { clientOnKit, CMD, marbles, stateLetters } from '../support/client-marbles.js';

describe('end()', () => {
  it('waits for in-flight QoS 1/2 flows before DISCONNECT', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false });
      client.publish('one', 'a', { qos: 1 }).subscribe();
      let ended: Observable<void> | undefined;
      scheduler.schedule(() => (ended = client.end()), 10);
      scheduler.schedule(() => broker.send({ cmd: 'puback', messageId: 1 }), 100);
      expectObservable(broker.commands$).toBe('(cP) 96ms (dx)', CMD);
      // Subscribed at 20 ms: completes when the client has closed, at 100 ms.
      scheduler.schedule(() => expectObservable(ended as Observable<void>).toBe('100ms |'), 20);
    });
  });

  it('gives up on in-flight flows after connectTimeout: they fail with MqttClosedError', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false }, { connectTimeout: 5000 });
      let error: unknown;
      client.publish('one', 'a', { qos: 1 }).subscribe({ error: (e: unknown) => (error = e) });
      const seen: string[] = [];
      scheduler.schedule(() => client.end().subscribe({ complete: () => seen.push(`ended@${scheduler.now()}`) }), 10);
      expectObservable(broker.commands$).toBe('(cP) 5006ms (dx)', CMD);
      scheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttClosedError);
        expect(seen).toEqual(['ended@5010']);
      }, 6000);
    });
  });

  it('completes topic streams, state$ and a late end() subscriber', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler);
      const stream = client.topic('a');
      scheduler.schedule(() => client.end(), 100);
      expectObservable(stream).toBe('100ms |');
      expectObservable(stateLetters(client)).toBe('K 99ms (X|)');
      scheduler.schedule(() => {
        expectObservable(client.end()).toBe('200ms |');
        expectObservable(stateLetters(client)).toBe('200ms (X|)');
      }, 200);
    });
  });
});

import { map, type Observable } from 'rxjs';
import { ofCmd, type ScriptedBroker } from '../../src/testing/index.js';
import { clientOnKit, CMD, marbles } from '../support/client-marbles.js';

/** The topic of each PUBLISH the broker received, at the time it arrived. */
function publishedTopics(broker: ScriptedBroker): Observable<string> {
  return broker.received$.pipe(ofCmd('publish'), map((p) => p.topic));
}

describe('offline queue', () => {
  it('drains the queue in order once connected', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { connack: 100 } });
      client.publish('q/0', 'a').subscribe();
      client.publish('q/1', 'b', { qos: 1 }).subscribe();
      client.publish('q/2', 'c', { qos: 2 }).subscribe();
      scheduler.schedule(() => client.end(), 200);
      // CONNACK at 100: the three PUBLISHes, and the PUBREL of the QoS 2 one after its PUBREC.
      expectObservable(broker.commands$).toBe('c 99ms (PPPr) 94ms (dx)', CMD);
      expectObservable(publishedTopics(broker)).toBe('100ms (abc)', { a: 'q/0', b: 'q/1', c: 'q/2' });
    });
  });

  it('a publish unsubscribed while queued is never sent', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { connack: 100 } });
      const dropped = client.publish('gone', 'a', { qos: 1 }).subscribe();
      client.publish('kept', 'b', { qos: 1 }).subscribe();
      scheduler.schedule(() => dropped.unsubscribe(), 50);
      scheduler.schedule(() => client.end(), 200);
      expectObservable(broker.commands$).toBe('c 99ms P 99ms (dx)', CMD);
      expectObservable(publishedTopics(broker)).toBe('100ms k', { k: 'kept' });
    });
  });
});

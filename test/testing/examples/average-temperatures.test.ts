// average-temperatures.test.ts
import { asyncScheduler, bufferTime, from, groupBy, map, mergeMap, type Observable, reduce, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect, type MqttClient } from '../../../src/index.js';
import { scriptedBroker } from '../../../src/testing/index.js';

const decoder = new TextDecoder();

/**
 * Every `windowMs`, the average temperature of each room that reported in that
 * window, rooms in the order they first reported.
 */
export function averageTemperatures(
  client: MqttClient,
  windowMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<{ room: string; avg: number }> {
  return client.topic('sensors/+/temperature').pipe(
    map((m) => ({ room: m.topic.split('/')[1] ?? '', celsius: Number(decoder.decode(m.payload)) })),
    bufferTime(windowMs, scheduler),
    mergeMap((window) =>
      from(window).pipe(
        groupBy((reading) => reading.room),
        mergeMap((room) =>
          room.pipe(
            reduce((acc, reading) => ({ sum: acc.sum + reading.celsius, count: acc.count + 1 }), { sum: 0, count: 0 }),
            map(({ sum, count }) => ({ room: room.key, avg: sum / count })),
          ),
        ),
      ),
    ),
  );
}

describe('averageTemperatures', () => {
  it('averages each room over 1 s windows, to the millisecond', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      const broker = scriptedBroker({ scheduler });
      const client = connect('mqtt://broker', { transport: broker.transport, scheduler });
      // The client is hot: end it, or run() never returns (its keepalive timer re-arms for ever).
      scheduler.schedule(() => client.end().subscribe(), 3500);

      // The broker publishes the readings at 100, 200, 700 and 1500 ms.
      const readings = hot('100ms a 99ms b 499ms c 799ms d', {
        a: { room: 'kitchen', celsius: '20' },
        b: { room: 'hall', celsius: '18' },
        c: { room: 'kitchen', celsius: '23' },
        d: { room: 'kitchen', celsius: '25' },
      });
      readings.subscribe(({ room, celsius }) => broker.publish(`sensors/${room}/temperature`, celsius));

      // Windows [0, 1000), [1000, 2000), [2000, 3000) (empty: nothing), and [3000, 3500)
      // cut short by end(): the stream completes with the client.
      expectObservable(averageTemperatures(client, 1000, scheduler)).toBe('1000ms (kh) 996ms l 1499ms |', {
        k: { room: 'kitchen', avg: 21.5 },
        h: { room: 'hall', avg: 18 },
        l: { room: 'kitchen', avg: 25 },
      });
      // What the client sent: CONNECT and SUBSCRIBE at 0; DISCONNECT at 3500, then it closed.
      expectObservable(broker.commands$).toBe('(cs) 3496ms (dx)', {
        c: 'connect',
        s: 'subscribe',
        d: 'disconnect',
        x: 'closed',
      });
    });
  });
});

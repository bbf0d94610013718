// keepalive.test.ts
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../../src/index.js';
import { scriptedBroker } from '../../../src/testing/index.js';

it('reconnects when PINGRESP does not come', () => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(({ expectObservable }) => {
    const broker = scriptedBroker({ scheduler, pingresp: false });
    const client = connect('mqtt://broker', {
      transport: broker.transport,
      scheduler,
      keepalive: 10,
      reconnect: { initialDelay: 1000, jitter: 0 },
    });
    // The client is hot: end it, or run() never returns.
    scheduler.schedule(() => client.end({ force: true }), 25_000);

    // ruler:                                0 s      10 s     20 s    21 s     25 s
    expectObservable(broker.commands$).toBe('c 9999ms p 9999ms x 999ms c 3999ms (dx)', {
      c: 'connect',
      p: 'pingreq',
      x: 'closed',
      d: 'disconnect',
    });
  });
});

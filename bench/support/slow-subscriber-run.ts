/**
 * The slow-subscriber scenarios measured by `bench/slow-subscriber.ts` and checked by
 * `test/marbles/slow-subscriber.test.ts`: a fast publisher, a consumer taking `delay`
 * ms per message one at a time (`concatMap`), all on the scripted broker in virtual
 * time, so the figures are exact counts, not timings.
 */
import { concatMap, map, tap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import { bounded } from '../../src/operators/bounded.js';
import { scriptedBroker } from '../../src/testing/index.js';

/** What a run measured. */
export interface SlowRun {
  /** Most messages the application held at once (arrived, not yet consumed or dropped). */
  maxHeld: number;
  /** Messages the consumer finished. */
  consumed: number;
  /** Messages dropped by `bounded`. */
  dropped: number;
  /** Most messages the broker had sent and not yet had acknowledged. */
  maxBrokerInflight: number;
  /** Virtual time until the last message was consumed, ms. */
  ms: number;
}

function virtual(fn: (scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler(() => undefined);
  scheduler.run(() => fn(scheduler));
}

/**
 * QoS 1: a broker that honours our Receive Maximum (never more than `window` messages
 * unacknowledged) and sends as fast as that allows, `n` messages.
 *
 * @param o `n` messages, `window` (Receive Maximum), `delay` per message, `manual` ack or auto.
 * @returns the figures.
 */
export function qos1Run(o: { n: number; window: number; delay: number; manual: boolean }): SlowRun {
  const run: SlowRun = { maxHeld: 0, consumed: 0, dropped: 0, maxBrokerInflight: 0, ms: 0 };
  virtual((scheduler) => {
    const broker = scriptedBroker({ scheduler });
    const client = connect('mqtt://broker', {
      transport: broker.transport,
      scheduler,
      protocolVersion: 5,
      properties: { receiveMaximum: o.window },
    });
    let held = 0;
    const consume = (ack: () => void): void => {
      held--;
      run.consumed++;
      run.ms = scheduler.now();
      ack();
      if (run.consumed === o.n) client.end();
    };
    const slow = concatMap(<M>(m: M) => timer(o.delay, scheduler).pipe(map(() => m)));
    const arrived = (): void => {
      held++;
      if (held > run.maxHeld) run.maxHeld = held;
    };
    if (o.manual) {
      client.topic('jobs', { qos: 1, ack: 'manual' }).pipe(tap(arrived), slow).subscribe((m) => consume(() => m.ack()));
    } else {
      client.topic('jobs', { qos: 1 }).pipe(tap(arrived), slow).subscribe(() => consume(() => undefined));
    }
    let sent = 0;
    let inflight = 0;
    let pumping = false;
    // A loop, not recursion: an ack can complete a publish inside `broker.publish`.
    const pump = (): void => {
      if (pumping) return;
      pumping = true;
      while (inflight < o.window && sent < o.n) {
        sent++;
        inflight++;
        if (inflight > run.maxBrokerInflight) run.maxBrokerInflight = inflight;
        broker.publish('jobs', 'x', { qos: 1 }).subscribe({
          complete: () => {
            inflight--;
            pump();
          },
        });
      }
      pumping = false;
    };
    scheduler.schedule(pump, 10);
  });
  return run;
}

/**
 * QoS 0: the broker sends `n` messages, one per ms; the consumer behind `bounded`
 * (`size`, `drop`), or behind a plain `concatMap` when `size` is undefined.
 *
 * @param o `n` messages, `delay` per message, `size` and `drop` of the waiting line.
 * @returns the figures.
 */
export function qos0Run(o: { n: number; delay: number; size?: number; drop?: 'oldest' | 'newest' }): SlowRun {
  const run: SlowRun = { maxHeld: 0, consumed: 0, dropped: 0, maxBrokerInflight: 0, ms: 0 };
  virtual((scheduler) => {
    const broker = scriptedBroker({ scheduler });
    const client = connect('mqtt://broker', { transport: broker.transport, scheduler });
    let held = 0;
    const work = <M>(m: M) =>
      timer(o.delay, scheduler).pipe(
        map(() => {
          held--;
          run.consumed++;
          run.ms = scheduler.now();
          return m;
        }),
      );
    const arrived = (): void => {
      held++;
      if (held > run.maxHeld) run.maxHeld = held;
    };
    const messages = client.topic('telemetry').pipe(tap(arrived));
    const consumer =
      o.size === undefined
        ? messages.pipe(concatMap(work))
        : messages.pipe(
            bounded(work, {
              size: o.size,
              drop: o.drop ?? 'oldest',
              onDrop: (_, n) => {
                held--;
                run.dropped = n;
              },
            }),
          );
    consumer.subscribe();
    for (let i = 0; i < o.n; i++) scheduler.schedule(() => broker.publish('telemetry', 'x').subscribe(), 10 + i);
    scheduler.schedule(() => client.end(), 10 + o.n + o.n * o.delay + 10);
  });
  return run;
}

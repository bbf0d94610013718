import { map } from 'rxjs';
import { clientOnKit, CMD, connectionLetters, marbles } from '../support/client-marbles.js';

describe('reconnect backoff', () => {
  it('waits initialDelay·factorⁿ capped at maxDelay between refused attempts, and resets after a success', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(
        scheduler,
        { refuse: 5 },
        { reconnect: { initialDelay: 1000, maxDelay: 5000, factor: 2, jitter: 0.2 } },
      );
      scheduler.schedule(() => broker.drop(), 20_000);
      scheduler.schedule(() => client.end(), 22_000);
      // attempts at 0, 1, 3, 7, 12 s refused (delays 1, 2, 4, 5, 5 s); 17 s succeeds;
      // dropped at 20 s, the first delay again: 21 s.
      expectObservable(connectionLetters(broker)).toBe(
        'f 999ms f 1999ms f 3999ms f 4999ms f 4999ms o 2999ms x 999ms o 999ms x',
      );
    });
  });

  it('reports attempt and delay in the reconnecting state', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(
        scheduler,
        { refuse: 2 },
        { reconnect: { initialDelay: 100, maxDelay: 1000, factor: 3, jitter: 0 } },
      );
      scheduler.schedule(() => client.end(), 1000);
      const summary = client.state$.pipe(
        map((s) =>
          s.status === 'reconnecting' ? `R${s.attempt}:${s.delay}` : s.status === 'connecting' ? `C${s.attempt}` : s.status,
        ),
      );
      // The first attempt failed inside connect(): the state on subscribe is reconnecting.
      expectObservable(summary).toBe('a 99ms (bc) 296ms (de) 596ms (g|)', {
        a: 'R1:100',
        b: 'C2',
        c: 'R2:300',
        d: 'C3',
        e: 'connected',
        g: 'closed',
      });
    });
  });

  it('connect timeout: no CONNACK within connectTimeout closes and retries', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { connack: false }, { connectTimeout: 5000 });
      scheduler.schedule(() => client.end(), 8000);
      // CONNECT at 0, given up at 5 s, CONNECT again at 6 s (backoff 1 s), ended at 8 s (no DISCONNECT: never connected).
      expectObservable(broker.commands$).toBe('c 4999ms x 999ms c 1999ms x', CMD);
      expectObservable(connectionLetters(broker)).toBe('o 4999ms x 999ms o 1999ms x');
    });
  });
});

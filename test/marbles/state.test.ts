import { clientOnKit, marbles, stateLetters } from '../support/client-marbles.js';

describe('state$', () => {
  it('connecting → connected → reconnecting → connecting → connected → closed', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { connack: 10 } });
      scheduler.schedule(() => broker.drop(), 100);
      scheduler.schedule(() => client.end(), 2000);
      // CONNACK 10 ms after each CONNECT; dropped at 100, CONNECT again at 1100 (backoff 1 s).
      expectObservable(stateLetters(client)).toBe('C 9ms K 89ms R 999ms C 9ms K 889ms (X|)');
    });
  });
});

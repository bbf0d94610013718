import { MqttTimeoutError } from '../../src/protocol/errors.js';
import { clientOnKit, CMD, connectionLetters, marbles, stateLetters } from '../support/client-marbles.js';

describe('keepalive (MQTT-3.1.2-23 in 3.1.1, MQTT-3.1.2-20 in 5)', () => {
  it('sends PINGREQ after keepalive seconds without sending anything', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { keepalive: 10 });
      scheduler.schedule(() => client.end(), 25_000);
      // ruler:                                0        10 s     20 s     25 s
      expectObservable(broker.commands$).toBe('c 9999ms p 9999ms p 4999ms (dx)', CMD);
    });
  });

  it('sends no PINGREQ while packets flow', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { keepalive: 10 });
      for (const t of [4000, 8000, 12_000, 16_000, 20_000]) scheduler.schedule(() => client.publish('t', 'x').subscribe(), t);
      scheduler.schedule(() => client.end(), 29_000);
      // PUBLISH every 4 s up to 20 s; the next PINGREQ would be due at 30 s.
      expectObservable(broker.commands$).toBe('c 3999ms P 3999ms P 3999ms P 3999ms P 3999ms P 8999ms (dx)', CMD);
    });
  });

  it('MQTT-3.1.2-23: counts the connection lost when PINGRESP is late, then CONNECTs again after the first backoff delay', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { pingresp: false }, { keepalive: 10 });
      let error: Error | undefined;
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') error = s.error;
      });
      scheduler.schedule(() => client.end(), 25_000);
      // broker:  answers CONNECT, never PINGREQ
      // client:  CONNECT, PINGREQ at 10 s, gives up at 20 s, CONNECT again at 21 s (backoff 1 s), ends at 25 s
      expectObservable(broker.commands$).toBe('c 9999ms p 9999ms x 999ms c 3999ms (dx)', CMD);
      expectObservable(connectionLetters(broker)).toBe('o 19999ms x 999ms o 3999ms x');
      expectObservable(stateLetters(client)).toBe('K 19999ms R 999ms (CK) 3996ms (X|)');
      scheduler.schedule(() => expect(error).toBeInstanceOf(MqttTimeoutError), 30_000);
    });
  });
});

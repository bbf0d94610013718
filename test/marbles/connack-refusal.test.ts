import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';
import { clientOnKit, CMD, connectionLetters, marbles, stateLetters } from '../support/client-marbles.js';

describe('CONNACK refusals', () => {
  it('a refusal retrying cannot fix ends the client (3.1.1 code 4: bad user name or password)', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { connack: { cmd: 'connack', sessionPresent: false, returnCode: 4 } });
      let closed: ConnectionState | undefined;
      client.state$.subscribe((s) => (closed = s));
      expectObservable(stateLetters(client)).toBe('(X|)');
      expectObservable(connectionLetters(broker)).toBe('(ox)');
      scheduler.schedule(() => {
        expect(closed).toEqual({ status: 'closed', error: expect.any(MqttConnectionError) });
        expect(closed?.status === 'closed' && closed.error).toMatchObject({ reasonCode: 4 });
      }, 1);
    });
  });

  it('a transient refusal (3: server unavailable) is retried after the backoff', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {
        connack: (_connect, attempt) => ({ cmd: 'connack', sessionPresent: false, returnCode: attempt === 1 ? 3 : 0 }),
      });
      scheduler.schedule(() => client.end(), 2000);
      // refused at 0 (the broker closes, MQTT-3.2.2-5), CONNECT again at 1 s, ended at 2 s.
      expectObservable(broker.commands$).toBe('(cx) 996ms c 999ms (dx)', CMD);
      expectObservable(stateLetters(client)).toBe('R 999ms (CK) 996ms (X|)');
    });
  });

  it('a refused transport is retried with the backoff; a fatal CONNACK (MQTT 5, 0x86) ends the client', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(
        scheduler,
        { refuse: 2, connack: { cmd: 'connack', sessionPresent: false, reasonCode: 0x86 } },
        { protocolVersion: 5 },
      );
      let error: unknown;
      client.state$.subscribe((s) => {
        if (s.status === 'closed') error = s.error;
      });
      // refused at 0 and 1 s, CONNECT at 3 s refused by CONNACK: closed for good.
      expectObservable(broker.commands$).toBe('f 999ms f 1999ms (cx)', CMD);
      scheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect(error).toMatchObject({ reasonCode: 0x86 });
      }, 5000);
    });
  });
});

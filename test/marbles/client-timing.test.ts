import { asyncScheduler, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttClosedError, MqttConnectionError, MqttTimeoutError } from '../../src/protocol/errors.js';
import { FakeBroker, type FakeBrokerScript } from './fake-broker.js';

/**
 * Letters of the marbles below.
 * Client → broker packets: c CONNECT, P PUBLISH, r PUBREL, s SUBSCRIBE, u UNSUBSCRIBE,
 * p PINGREQ, d DISCONNECT, a PUBACK, e PUBREC, m PUBCOMP.
 * Connections: o transport opened by the client, x connection ended.
 * States: C connecting, K connected, R reconnecting, X closed.
 */
const STATE_LETTER: Record<ConnectionState['status'], string> = {
  connecting: 'C',
  connected: 'K',
  reconnecting: 'R',
  closed: 'X',
};

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A client on a fake broker, with deterministic backoff (no jitter). */
function setup(script: FakeBrokerScript = {}, options: ClientOptions = {}): { broker: FakeBroker; client: MqttClient } {
  const broker = new FakeBroker(script);
  const client = connect('mqtt://broker', { transport: broker.transport, random: () => 0, ...options });
  return { broker, client };
}

/** Runs `fn` at virtual time `ms`. */
function at(ms: number, fn: () => void): void {
  asyncScheduler.schedule(fn, ms);
}

const states = (client: MqttClient): Observable<string> =>
  client.state$.pipe(map((s) => STATE_LETTER[s.status]));

describe('keepalive (MQTT-3.1.2-23 in 3.1.1, MQTT-3.1.2-20 in 5)', () => {
  it('sends PINGREQ after keepalive seconds without sending anything', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({}, { keepalive: 10 });
      at(25000, () => client.end());
      // ruler:                          0   10 s           20 s           25 s
      expectObservable(broker.letters$).toBe('c 9999ms p 9999ms p 4999ms d');
    });
  });

  it('sends no PINGREQ while packets flow', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({}, { keepalive: 10 });
      for (const t of [4000, 8000, 12000, 16000, 20000]) at(t, () => client.publish('t', 'x').subscribe());
      at(29000, () => client.end());
      expectObservable(broker.letters$).toBe('c 3999ms P 3999ms P 3999ms P 3999ms P 3999ms P 8999ms d');
    });
  });

  it('counts the connection lost when PINGRESP is late, then CONNECTs again after the first backoff delay', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ pingresp: false }, { keepalive: 10 });
      let error: Error | undefined;
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') error = s.error;
      });
      at(25000, () => client.end());
      // CONNECT at 0, PINGREQ at 10 s, lost at 20 s, CONNECT at 21 s (backoff 1 s), end at 25 s.
      expectObservable(broker.letters$).toBe('c 9999ms p 10999ms c 3999ms d');
      expectObservable(broker.connections$).toBe('o 19999ms x 999ms o 3999ms x');
      expectObservable(states(client)).toBe('K 19999ms R 999ms (CK) 3996ms (X|)');
      asyncScheduler.schedule(() => expect(error).toBeInstanceOf(MqttTimeoutError), 30000);
    });
  });
});

describe('reconnect backoff', () => {
  it('waits initialDelay·factorⁿ capped at maxDelay between refused attempts, and resets after a success', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup(
        { refuse: (n) => n < 5 },
        { reconnect: { initialDelay: 1000, maxDelay: 5000, factor: 2, jitter: 0.2 } },
      );
      at(20000, () => broker.drop());
      at(22000, () => client.end());
      // attempts at 0, 1, 3, 7, 12 s refused (delays 1, 2, 4, 5, 5 s); 17 s succeeds;
      // dropped at 20 s, the first delay again: 21 s.
      expectObservable(broker.connections$).toBe(
        'o 999ms o 1999ms o 3999ms o 4999ms o 4999ms o 2999ms x 999ms o 999ms x',
      );
    });
  });

  it('reports attempt and delay in the reconnecting state', () => {
    testScheduler().run(({ expectObservable }) => {
      const { client } = setup({ refuse: (n) => n < 2 }, { reconnect: { initialDelay: 100, maxDelay: 1000, factor: 3, jitter: 0 } });
      at(1000, () => client.end());
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
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ connack: () => undefined }, { connectTimeout: 5000 });
      at(8000, () => client.end());
      expectObservable(broker.letters$).toBe('c 5999ms c');
      expectObservable(broker.connections$).toBe('o 4999ms x 999ms o 1999ms x');
    });
  });
});

describe('CONNACK refusals', () => {
  it('a refusal retrying cannot fix ends the client (3.1.1 code 4: bad user name or password)', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ connack: () => ({ cmd: 'connack', sessionPresent: false, returnCode: 4 }) });
      let closed: ConnectionState | undefined;
      client.state$.subscribe((s) => (closed = s));
      expectObservable(states(client)).toBe('(X|)');
      expectObservable(broker.connections$).toBe('(ox)');
      asyncScheduler.schedule(() => {
        expect(closed).toEqual({ status: 'closed', error: expect.any(MqttConnectionError) });
        expect(closed?.status === 'closed' && closed.error).toMatchObject({ reasonCode: 4 });
      }, 1);
    });
  });

  it('a transient refusal (3: server unavailable) is retried after the backoff', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({
        connack: (n) => ({ cmd: 'connack', sessionPresent: false, returnCode: n === 0 ? 3 : 0 }),
      });
      at(2000, () => client.end());
      expectObservable(broker.letters$).toBe('c 999ms c 999ms d');
      expectObservable(states(client)).toBe('R 999ms (CK) 996ms (X|)');
    });
  });
});

describe('offline queue', () => {
  it('drains the queue in order once connected', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ connackDelay: 100 });
      client.publish('q/0', 'a').subscribe();
      client.publish('q/1', 'b', { qos: 1 }).subscribe();
      client.publish('q/2', 'c', { qos: 2 }).subscribe();
      at(200, () => client.end());
      expectObservable(broker.letters$).toBe('c 99ms (PPPr) 94ms d');
      asyncScheduler.schedule(() => {
        const topics = broker.log.flatMap((e) => (e.packet.cmd === 'publish' ? [e.packet.topic] : []));
        expect(topics).toEqual(['q/0', 'q/1', 'q/2']);
      }, 300);
    });
  });

  it('a publish unsubscribed while queued is never sent', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ connackDelay: 100 });
      const dropped = client.publish('gone', 'a', { qos: 1 }).subscribe();
      client.publish('kept', 'b', { qos: 1 }).subscribe();
      at(50, () => dropped.unsubscribe());
      at(200, () => client.end());
      expectObservable(broker.letters$).toBe('c 99ms P 99ms d');
      asyncScheduler.schedule(() => {
        expect(broker.log.flatMap((e) => (e.packet.cmd === 'publish' ? [e.packet.topic] : []))).toEqual(['kept']);
      }, 300);
    });
  });
});

describe('resume after a reconnect', () => {
  it('MQTT-4.4.0-1: resends the unacknowledged PUBLISH with DUP and the PUBREL when the session is present', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup(
        {
          puback: false,
          pubcomp: false,
          connack: (n) => ({ cmd: 'connack', sessionPresent: n > 0, returnCode: 0 }),
        },
        { clean: false },
      );
      const ignore = { error: () => undefined };
      client.publish('one', 'a', { qos: 1 }).subscribe(ignore);
      client.publish('two', 'b', { qos: 2 }).subscribe(ignore);
      at(50, () => broker.drop());
      at(2000, () => client.end({ force: true }));
      expectObservable(broker.letters$).toBe('(cPPr) 1044ms (cPr) 945ms d');
      asyncScheduler.schedule(() => {
        const resent = broker.log.find((e) => e.time === 1050 && e.packet.cmd === 'publish')?.packet as PublishPacket;
        expect(resent).toMatchObject({ topic: 'one', dup: true, messageId: 1 });
        expect(broker.log.find((e) => e.time === 1050 && e.packet.cmd === 'pubrel')?.packet).toMatchObject({ messageId: 2 });
      }, 3000);
    });
  });

  it('resubscribes by itself when the new connection has no session', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup();
      client.topic('x/+', { qos: 1 }).subscribe();
      at(50, () => broker.drop());
      at(2000, () => client.end());
      expectObservable(broker.letters$).toBe('(cs) 1046ms (cs) 946ms d');
    });
  });

  it('sends unacknowledged QoS 1 again as a new message when the session is gone', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ puback: false });
      let result: unknown;
      client.publish('one', 'a', { qos: 1 }).subscribe((r) => (result = r));
      at(50, () => broker.drop());
      at(1100, () => broker.send({ cmd: 'puback', messageId: 1 }));
      at(2000, () => client.end());
      expectObservable(broker.letters$).toBe('(cP) 1046ms (cP) 946ms d');
      asyncScheduler.schedule(() => {
        expect(broker.log.filter((e) => e.packet.cmd === 'publish').map((e) => (e.packet as PublishPacket).dup)).toEqual([
          false,
          false,
        ]);
        expect(result).toEqual({ packetId: 1, reasonCode: 0 });
      }, 3000);
    });
  });
});

describe('end()', () => {
  it('waits for in-flight QoS 1/2 flows before DISCONNECT', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ puback: false });
      client.publish('one', 'a', { qos: 1 }).subscribe();
      let ended: Observable<void> | undefined;
      at(10, () => (ended = client.end()));
      at(100, () => broker.send({ cmd: 'puback', messageId: 1 }));
      expectObservable(broker.letters$).toBe('(cP) 96ms d');
      // Subscribed at 20 ms: completes when the client has closed, at 100 ms.
      asyncScheduler.schedule(() => expectObservable(ended as Observable<void>).toBe('100ms |'), 20);
    });
  });

  it('gives up on in-flight flows after connectTimeout: they fail with MqttClosedError', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ puback: false }, { connectTimeout: 5000 });
      let error: unknown;
      client.publish('one', 'a', { qos: 1 }).subscribe({ error: (e: unknown) => (error = e) });
      const seen: string[] = [];
      at(10, () => client.end().subscribe({ complete: () => seen.push(`ended@${asyncScheduler.now()}`) }));
      expectObservable(broker.letters$).toBe('(cP) 5006ms d');
      asyncScheduler.schedule(() => {
        expect(error).toBeInstanceOf(MqttClosedError);
        expect(seen).toEqual(['ended@5010']);
      }, 6000);
    });
  });

  it('completes topic streams, state$ and a late end() subscriber', () => {
    testScheduler().run(({ expectObservable }) => {
      const { client } = setup();
      const stream = client.topic('a');
      at(100, () => client.end());
      expectObservable(stream).toBe('100ms |');
      expectObservable(states(client)).toBe('K 99ms (X|)');
      asyncScheduler.schedule(() => {
        expectObservable(client.end()).toBe('200ms |');
        expectObservable(states(client)).toBe('200ms (X|)');
      }, 200);
    });
  });
});

describe('state$', () => {
  it('connecting → connected → reconnecting → connecting → connected → closed', () => {
    testScheduler().run(({ expectObservable }) => {
      const { broker, client } = setup({ connackDelay: 10 });
      at(100, () => broker.drop());
      at(2000, () => client.end());
      expectObservable(states(client)).toBe('C 9ms K 89ms R 999ms C 9ms K 889ms (X|)');
    });
  });
});

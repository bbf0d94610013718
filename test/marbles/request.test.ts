import { filter, map, switchMap, timer, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { asText } from '../../src/operators/as-text.js';
import { respond } from '../../src/client/respond.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import { MqttClosedError, MqttPublishError, MqttSubscribeError, MqttTimeoutError } from '../../src/protocol/errors.js';
import { ofCmd, type ScriptedBroker } from '../../src/testing/index.js';
import { connect } from '../../src/client/connect.js';
import { clientOnKit, CMD, marbles } from '../support/client-marbles.js';

const text = new TextDecoder();

/** A request's text response, for marbles. */
function answer(request: Observable<{ payload: Uint8Array }>): Observable<string> {
  return request.pipe(map((m) => text.decode(m.payload)));
}

/**
 * A responder played by the broker itself: each PUBLISH to `svc/...` is answered
 * `re:<payload>` on its Response Topic with its Correlation Data, `delay(payload)` ms later.
 */
function brokerResponder(broker: ScriptedBroker, scheduler: TestScheduler, delay: (payload: string) => number): void {
  broker.received$
    .pipe(
      ofCmd('publish'),
      filter((p) => p.topic.startsWith('svc/')),
    )
    .subscribe((p: PublishPacket) => {
      const body = text.decode(p.payload);
      const { responseTopic, correlationData } = p.properties ?? {};
      if (responseTopic === undefined) return;
      scheduler.schedule(
        () => broker.publish(responseTopic, `re:${body}`, { properties: correlationData === undefined ? {} : { correlationData } }).subscribe(),
        delay(body),
      );
    });
}

/** Ends `client` at `ms`. */
function endAt(scheduler: TestScheduler, client: MqttClient, ms: number): void {
  scheduler.schedule(() => client.end({ force: true }).subscribe(), ms);
}

const V5 = { protocolVersion: 5, clientId: 'asker' } as const;

describe('request() (MQTT 5 request / response)', () => {
  it('subscribes to rx-mqtt/response/<clientId>, publishes only after the SUBACK, emits the reply and completes', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { suback: 5 } }, V5);
      brokerResponder(broker, scheduler, () => 20);
      endAt(scheduler, client, 100);
      // 0 CONNECT + SUBSCRIBE; 5 SUBACK, then PUBLISH; 25 the reply
      expectObservable(answer(client.request('svc/time', 'now?'))).toBe('25ms (r|)', { r: 're:now?' });
      expectObservable(broker.commands$).toBe('(cs) 1ms P 94ms (dx)', CMD);
      expectObservable(
        broker.received$.pipe(
          ofCmd('subscribe', 'publish'),
          map((p) =>
            p.cmd === 'subscribe'
              ? `sub ${p.subscriptions[0]?.topic} qos ${p.subscriptions[0]?.qos}`
              : `pub ${p.topic} → ${p.properties?.responseTopic} (${p.properties?.correlationData?.length} bytes)`,
          ),
        ),
      ).toBe('s 4ms p', {
        s: 'sub rx-mqtt/response/asker qos 2',
        p: 'pub svc/time → rx-mqtt/response/asker (14 bytes)',
      });
    });
  });

  it('fails with MqttTimeoutError naming the topic at exactly options.timeout ms', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, {}, V5);
      endAt(scheduler, client, 2000);
      expectObservable(client.request('svc/silent', 'x', { timeout: 1500 })).toBe(
        '1500ms #',
        undefined,
        expect.objectContaining({
          constructor: MqttTimeoutError,
          message: 'no response to the request to "svc/silent" within 1500 ms',
        }),
      );
    });
  });

  it('times out after 30000 ms by default, counted from the subscription (the SUBACK wait included)', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, { delays: { suback: 40000 } }, V5);
      endAt(scheduler, client, 40000);
      expectObservable(client.request('svc/silent', 'x')).toBe('30000ms #', undefined, expect.any(MqttTimeoutError));
    });
  });

  it('a late reply after the timeout is ignored; the next request still gets its own', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      brokerResponder(broker, scheduler, (body) => (body === 'slow' ? 500 : 10));
      endAt(scheduler, client, 2000);
      expectObservable(client.request('svc/a', 'slow', { timeout: 100 })).toBe('100ms #', undefined, expect.any(MqttTimeoutError));
      scheduler.schedule(() => expectObservable(answer(client.request('svc/a', 'fast'))).toBe('610ms (r|)', { r: 're:fast' }), 600);
    });
  });

  it('unsubscribing early stops the wait: the reply that comes later is ignored, nothing fails', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      brokerResponder(broker, scheduler, () => 100);
      endAt(scheduler, client, 300);
      expectObservable(answer(client.request('svc/a', 'x')), '^ 49ms !').toBe('');
      // The request went out at 0; its reply reaches the client at 100 and goes nowhere.
      expectObservable(broker.commands$).toBe('(csP) 295ms (dx)', CMD);
    });
  });

  it('unsubscribing while the request is still queued (offline) means it is never published', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { connack: 100 } }, V5);
      endAt(scheduler, client, 300);
      expectObservable(client.request('svc/a', 'x'), '^ 49ms !').toBe('');
      // Nothing of the request leaves the client: not even the response subscription, which waits for CONNACK.
      expectObservable(broker.commands$).toBe('c 299ms (dx)', CMD);
    });
  });

  it('unsubscribing after the SUBSCRIBE but before the SUBACK cancels the publish; the subscription stays', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { suback: 100 } }, V5);
      endAt(scheduler, client, 300);
      expectObservable(client.request('svc/a', 'x'), '^ 49ms !').toBe('');
      expectObservable(broker.commands$).toBe('(cs) 296ms (dx)', CMD);
    });
  });

  it('concurrent requests each get their own reply, whatever order the replies come in', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      const delays: Record<string, number> = { one: 30, two: 20, three: 10 };
      brokerResponder(broker, scheduler, (body) => delays[body] ?? 0);
      endAt(scheduler, client, 100);
      expectObservable(answer(client.request('svc/n', 'one'))).toBe('30ms (r|)', { r: 're:one' });
      expectObservable(answer(client.request('svc/n', 'two'))).toBe('20ms (r|)', { r: 're:two' });
      expectObservable(answer(client.request('svc/n', 'three'))).toBe('10ms (r|)', { r: 're:three' });
      // One response subscription for all of them.
      expectObservable(broker.commands$).toBe('(csPPP) 93ms (dx)', CMD);
    });
  });

  it('replies with unknown or no correlation data are ignored', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      brokerResponder(broker, scheduler, () => 50);
      const topic = 'rx-mqtt/response/asker';
      scheduler.schedule(() => broker.publish(topic, 'stray', { properties: { correlationData: new Uint8Array(14).fill(9) } }).subscribe(), 10);
      scheduler.schedule(() => broker.publish(topic, 'other', { properties: { correlationData: new Uint8Array([1, 2]) } }).subscribe(), 20);
      scheduler.schedule(() => broker.publish(topic, 'bare').subscribe(), 30);
      endAt(scheduler, client, 100);
      expectObservable(answer(client.request('svc/a', 'x'))).toBe('50ms (r|)', { r: 're:x' });
    });
  });

  it('subscribes to the response topic once, for the client\'s life', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 200);
      expectObservable(answer(client.request('svc/a', 'first'))).toBe('10ms (r|)', { r: 're:first' });
      scheduler.schedule(() => client.request('svc/a', 'second').subscribe(), 100);
      // No UNSUBSCRIBE after the first, no second SUBSCRIBE.
      expectObservable(broker.commands$).toBe('(csP) 95ms P 99ms (dx)', CMD);
    });
  });

  it('a response topic a topic() stream of the client already holds: the request goes out as soon as that subscription is granted', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { suback: 5 } }, V5);
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 100);
      // The application's own stream on the same filter: SUBSCRIBE at 0, granted at 5.
      client.topic('replies/me', { qos: 2 }).subscribe();
      // Joins while the SUBACK is pending: published at 5, answered at 15.
      expectObservable(answer(client.request('svc/a', 'x', { responseTopic: 'replies/me' }))).toBe('15ms (r|)', { r: 're:x' });
      // Joins once granted: published at once, at 20, answered at 30. No second SUBSCRIBE.
      const later = timer(20, scheduler).pipe(switchMap(() => answer(client.request('svc/b', 'y', { responseTopic: 'replies/me' }))));
      expectObservable(later).toBe('30ms (r|)', { r: 're:y' });
      expectObservable(broker.commands$).toBe('(cs) 1ms P 14ms P 79ms (dx)', CMD);
    });
  });

  it('fails with a TypeError before anything is sent when the client speaks MQTT 3.1.1', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 4 });
      endAt(scheduler, client, 100);
      expectObservable(client.request('svc/a', 'x')).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('MQTT 5') }),
      );
      expectObservable(broker.commands$).toBe('c 99ms (dx)', CMD);
    });
  });

  it('fails with the publish\'s error when the server refuses the request (MqttPublishError)', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: () => 0x87 }, V5);
      endAt(scheduler, client, 100);
      expectObservable(client.request('svc/a', 'x', { qos: 1 })).toBe(
        '#',
        undefined,
        expect.objectContaining({ constructor: MqttPublishError, reasonCode: 0x87 }),
      );
      expectObservable(broker.commands$).toBe('(csP) 95ms (dx)', CMD);
    });
  });

  it('fails with MqttSubscribeError when the response subscription is refused, publishing nothing; the next request subscribes again', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { suback: () => [0x87] }, V5);
      brokerResponder(broker, scheduler, () => 10);
      scheduler.schedule(() => broker.configure({ suback: true }), 50);
      endAt(scheduler, client, 200);
      expectObservable(client.request('svc/a', 'x')).toBe(
        '#',
        undefined,
        expect.objectContaining({ constructor: MqttSubscribeError, reasonCode: 0x87 }),
      );
      scheduler.schedule(() => expectObservable(answer(client.request('svc/a', 'y'))).toBe('110ms (r|)', { r: 're:y' }), 100);
      expectObservable(broker.commands$).toBe('(cs) 96ms (sP) 96ms (dx)', CMD);
    });
  });

  it('bad arguments fail with a TypeError / RangeError naming them, before anything is sent', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      endAt(scheduler, client, 100);
      const own = { correlationData: new Uint8Array([1]) } as object;
      const cases: [Observable<unknown>, string, string][] = [
        [client.request('svc/+', 'x'), 'TypeError', 'wildcard'],
        [client.request('svc/a', 'x', { properties: own }), 'TypeError', 'correlationData'],
        [client.request('svc/a', 'x', { responseTopic: 'replies/#' }), 'TypeError', 'responseTopic'], // MQTT-3.3.2-14
        [client.request('svc/a', 'x', { timeout: 0 }), 'RangeError', 'timeout'],
        [client.request('svc/a', 'x', { qos: 3 as 0 }), 'RangeError', 'qos'],
      ];
      for (const [request, name, word] of cases) {
        expectObservable(request).toBe('#', undefined, expect.objectContaining({ name, message: expect.stringContaining(word) }));
      }
      expectObservable(broker.commands$).toBe('c 99ms (dx)', CMD);
    });
  });

  it('carries the user\'s QoS and properties, merged with its own response topic and correlation data; honours options.responseTopic', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 100);
      const request = client.request('svc/a', 'x', {
        qos: 1,
        responseTopic: 'replies/mine',
        properties: { contentType: 'text/plain', userProperties: { trace: '42' } },
      });
      expectObservable(request.pipe(map((m) => `${m.topic} ${text.decode(m.payload)}`))).toBe('10ms (r|)', { r: 'replies/mine re:x' });
      expectObservable(
        broker.received$.pipe(
          ofCmd('publish'),
          map((p) => {
            const { correlationData, ...rest } = p.properties ?? {};
            return { qos: p.qos, ...rest, correlation: correlationData?.length };
          }),
        ),
      ).toBe('p', {
        p: { qos: 1, contentType: 'text/plain', userProperties: { trace: '42' }, responseTopic: 'replies/mine', correlation: 14 },
      });
    });
  });

  it('uses the server\'s Response Information when the CONNACK carries one', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(
        scheduler,
        {
          connack: (connect) => ({
            cmd: 'connack',
            sessionPresent: false,
            reasonCode: 0,
            // MQTT 5 3.1.2.11.7: only when asked for.
            ...(connect.properties?.requestResponseInformation === true ? { properties: { responseInformation: 'clients/asker' } } : {}),
          }),
        },
        { ...V5, properties: { requestResponseInformation: true } },
      );
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 100);
      expectObservable(answer(client.request('svc/a', 'x'))).toBe('10ms (r|)', { r: 're:x' });
      expectObservable(broker.received$.pipe(ofCmd('subscribe'), map((p) => p.subscriptions[0]?.topic))).toBe('s', {
        s: 'clients/asker/rx-mqtt/response',
      });
    });
  });

  it('with a server-assigned client id, the response topic is named after the assigned id', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5, clientId: '' });
      endAt(scheduler, client, 100);
      client.request('svc/a', 'x').subscribe({ error: () => undefined });
      expectObservable(broker.received$.pipe(ofCmd('publish'), map((p) => p.properties?.responseTopic))).toBe('p', {
        p: 'rx-mqtt/response/scripted-broker-1',
      });
    });
  });

  it('a request made before the client connects waits for the CONNACK, then subscribes and publishes', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { connack: 40 } }, V5);
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 100);
      expectObservable(answer(client.request('svc/a', 'x'))).toBe('50ms (r|)', { r: 're:x' });
      expectObservable(broker.commands$).toBe('c 39ms (sP) 56ms (dx)', CMD);
    });
  });

  it('after a reconnect without a session, the response topic is subscribed again before a queued request goes out', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { ...V5, reconnect: { initialDelay: 1000, jitter: 0 } });
      brokerResponder(broker, scheduler, () => 10);
      endAt(scheduler, client, 2000);
      expectObservable(answer(client.request('svc/a', 'first'))).toBe('10ms (r|)', { r: 're:first' });
      scheduler.schedule(() => broker.drop(), 100);
      // Asked while offline: queued, and sent after the new SUBSCRIBE of the new connection (at 1100).
      scheduler.schedule(() => expectObservable(answer(client.request('svc/a', 'second'))).toBe('1110ms (r|)', { r: 're:second' }), 500);
      expectObservable(broker.commands$).toBe('(csP) 95ms x 999ms (csP) 895ms (dx)', CMD);
    });
  });

  it('fails with MqttClosedError when the client ends while the reply is awaited', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, {}, V5);
      endAt(scheduler, client, 70);
      expectObservable(client.request('svc/a', 'x')).toBe('70ms #', undefined, expect.any(MqttClosedError));
      scheduler.schedule(() => expectObservable(client.request('svc/a', 'y')).toBe('80ms #', undefined, expect.any(MqttClosedError)), 80);
    });
  });
});

describe('respond() (the responder side)', () => {
  it('answers each request on its response topic with its correlation data; a requester on another client gets it', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client: requester } = clientOnKit(scheduler, {}, V5);
      const responder = connect('mqtt://broker', { transport: broker.transport, scheduler, protocolVersion: 5, clientId: 'server' });
      respond(responder, 'svc/upper', (req) => text.decode(req.payload).toUpperCase()).subscribe();
      endAt(scheduler, requester, 100);
      endAt(scheduler, responder, 100);
      // The responder subscribes at 0; ask at 10.
      scheduler.schedule(
        () =>
          expectObservable(requester.request('svc/upper', 'shout').pipe(asText())).toBe('10ms (r|)', { r: 'SHOUT' }),
        10,
      );
    });
  });

  it('replies at the QoS and with the properties the handler gives; messages without a response topic are passed over', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, V5);
      const correlationData = new Uint8Array([7, 7]);
      const served = respond(client, 'svc/+', (req) => ({
        payload: `ok ${req.topic}`,
        qos: 1,
        properties: { contentType: 'text/plain' },
      }));
      endAt(scheduler, client, 100);
      scheduler.schedule(() => broker.publish('svc/x', 'no reply wanted').subscribe(), 10);
      scheduler.schedule(
        () => broker.publish('svc/y', 'q', { properties: { responseTopic: 'back/here', correlationData } }).subscribe(),
        20,
      );
      expectObservable(served).toBe('20ms r 79ms |', { r: { packetId: 2, reasonCode: 0 } }); // packet id 1 was the SUBSCRIBE's
      expectObservable(
        broker.received$.pipe(
          ofCmd('publish'),
          map((p) => ({ topic: p.topic, qos: p.qos, body: text.decode(p.payload), properties: p.properties })),
        ),
      ).toBe('20ms p', {
        p: { topic: 'back/here', qos: 1, body: 'ok svc/y', properties: { contentType: 'text/plain', correlationData } },
      });
    });
  });

  it('completes when the client is ended, even with a reply cut off in flight by a forced end()', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { delays: { puback: 50 } }, V5);
      const served = respond(client, 'svc', () => 'ok', { qos: 1 });
      scheduler.schedule(() => broker.publish('svc', 'q', { properties: { responseTopic: 'back' } }).subscribe(), 10);
      endAt(scheduler, client, 30); // the reply's PUBACK would come at 60
      expectObservable(served).toBe('30ms |');
      expectObservable(broker.commands$).toBe('(cs) 6ms P 19ms (dx)', CMD);
    });
  });

  it('a request whose reply the server refuses is passed over; the responder goes on serving', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: (p) => (p.topic === 'forbidden' ? 0x87 : 0) }, V5);
      const served = respond(client, 'svc', () => 'ok', { qos: 1 }).pipe(map((r) => r.reasonCode));
      endAt(scheduler, client, 100);
      const ask = (responseTopic: string, ms: number): void => {
        scheduler.schedule(() => broker.publish('svc', 'q', { properties: { responseTopic } }).subscribe(), ms);
      };
      ask('forbidden', 10);
      ask('replies/+', 20); // not a topic name (MQTT-3.3.2-14): no reply at all
      ask('allowed', 30);
      expectObservable(served).toBe('30ms r 69ms |', { r: 0 });
    });
  });
});

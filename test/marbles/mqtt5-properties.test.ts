import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import type { DisconnectPacket, PacketEvent } from '../../src/index.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttClosedError, MqttConnectionError, MqttPublishError, MqttSubscribeError } from '../../src/protocol/errors.js';
import type { PublishResult } from '../../src/protocol/publish-request.js';
import { connect } from '../../src/client/connect.js';
import { ofCmd } from '../../src/testing/index.js';
import { clientOnKit, CMD, marbles } from '../support/client-marbles.js';

const userProperties = { region: 'eu', hops: ['1', '2'] };

describe('server DISCONNECT on the scripted broker (MQTT 5)', () => {
  it('reason code, reason string and user properties on state$; with reconnect: false, topic() fails with it and in-flight publishes with MqttClosedError caused by it', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false }, { protocolVersion: 5, reconnect: false });
      const states: ConnectionState[] = [];
      client.state$.subscribe((s) => states.push(s));
      let streamError: unknown;
      let publishError: unknown;
      client.topic('a/#').subscribe({ error: (e: unknown) => (streamError = e) });
      scheduler.schedule(() => client.publish('a/b', 'x', { qos: 1 }).subscribe({ error: (e: unknown) => (publishError = e) }), 5);
      const disconnect: DisconnectPacket = {
        cmd: 'disconnect',
        reasonCode: 0x98,
        properties: { reasonString: 'administrative action', userProperties },
      };
      scheduler.schedule(() => broker.send(disconnect), 10);
      scheduler.schedule(() => {
        const closed = states.at(-1);
        expect(closed?.status).toBe('closed');
        const error = closed?.status === 'closed' ? closed.error : undefined;
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect(error).toMatchObject({ reasonCode: 0x98, properties: disconnect.properties });
        expect(error?.message).toBe('the server sent DISCONNECT (152): administrative action');
        expect(streamError).toBe(error);
        expect(publishError).toBeInstanceOf(MqttClosedError);
        expect((publishError as MqttClosedError).cause).toBe(error);
      }, 11);
    });
  });

  it('a session takeover (MQTT-3.1.4-3): DISCONNECT 0x8E (session taken over) on the first client', () => {
    marbles((_helpers, scheduler) => {
      const first = clientOnKit(scheduler, {}, { protocolVersion: 5, clientId: 'same', reconnect: false });
      let closed: ConnectionState | undefined;
      first.client.state$.subscribe((s) => (closed = s));
      scheduler.schedule(() => {
        const second = connect('mqtt://broker', { transport: first.broker.transport, scheduler, protocolVersion: 5, clientId: 'same' });
        scheduler.schedule(() => second.end(), 10);
      }, 5);
      scheduler.schedule(() => {
        expect(closed).toEqual({ status: 'closed', error: expect.any(MqttConnectionError) });
        expect(closed?.status === 'closed' && closed.error).toMatchObject({ reasonCode: 0x8e });
      }, 6);
    });
  });

  it('with reconnect on, the reconnecting state carries it and the client connects again', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5, reconnect: { initialDelay: 100, jitter: 0 } });
      let reconnecting: ConnectionState | undefined;
      client.state$.subscribe((s) => {
        if (s.status === 'reconnecting') reconnecting = s;
      });
      scheduler.schedule(() => broker.send({ cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'shutting down' } }), 10);
      scheduler.schedule(() => client.end(), 200);
      expectObservable(broker.commands$).toBe('c 9ms x 99ms c 89ms (dx)', CMD);
      scheduler.schedule(() => {
        expect(reconnecting).toMatchObject({ status: 'reconnecting', error: { reasonCode: 0x8b, properties: { reasonString: 'shutting down' } } });
      }, 50);
    });
  });
});

describe('properties on messages, results and errors via the scripted broker (MQTT 5)', () => {
  it('a received message carries its PUBLISH properties', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      const got: MqttMessage[] = [];
      client.topic('a/#').subscribe((m) => got.push(m));
      const properties = {
        payloadFormatIndicator: true,
        messageExpiryInterval: 30,
        contentType: 'application/json',
        responseTopic: 'reply/here',
        correlationData: new Uint8Array([1, 2, 3]),
        userProperties,
      };
      scheduler.schedule(() => broker.publish('a/b', '{}', { qos: 1, properties }).subscribe(), 5);
      scheduler.schedule(() => client.end(), 10);
      scheduler.schedule(() => expect(got).toEqual([expect.objectContaining({ topic: 'a/b', properties })]), 6);
    });
  });

  it('PUBACK / PUBCOMP properties in the PublishResult; a refusing PUBACK / SUBACK puts its reason string and user properties on the error', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false, pubcomp: false, suback: false }, { protocolVersion: 5 });
      // This broker answers by hand: PUBACK 0x10 with properties, then 0x97 refusing; PUBCOMP with properties; SUBACK 0x8F.
      let pubacks = 0;
      broker.received$.pipe(ofCmd('publish', 'pubrel', 'subscribe')).subscribe((p) => {
        scheduler.schedule(() => {
          if (p.cmd === 'publish' && p.qos === 1) {
            pubacks++;
            broker.send(
              pubacks === 1
                ? { cmd: 'puback', messageId: p.messageId ?? 0, reasonCode: 0x10, properties: { reasonString: 'nobody listens', userProperties } }
                : { cmd: 'puback', messageId: p.messageId ?? 0, reasonCode: 0x97, properties: { reasonString: 'quota', userProperties } },
            );
          }
          if (p.cmd === 'pubrel') broker.send({ cmd: 'pubcomp', messageId: p.messageId, reasonCode: 0, properties: { userProperties } });
          if (p.cmd === 'subscribe') {
            broker.send({ cmd: 'suback', messageId: p.messageId, granted: [0x8f], properties: { reasonString: 'filter not allowed', userProperties } });
          }
        });
      });
      const results: PublishResult[] = [];
      let refused: unknown;
      let subscribeError: unknown;
      scheduler.schedule(() => {
        client.publish('t', 'one', { qos: 1 }).subscribe((r) => results.push(r));
        client.publish('t', 'two', { qos: 2 }).subscribe((r) => results.push(r));
        client.publish('t', 'three', { qos: 1 }).subscribe({ error: (e: unknown) => (refused = e) });
        client.topic('x/#').subscribe({ error: (e: unknown) => (subscribeError = e) });
      }, 5);
      scheduler.schedule(() => client.end(), 20);
      scheduler.schedule(() => {
        expect(results).toEqual([
          { packetId: 1, reasonCode: 0x10, properties: { reasonString: 'nobody listens', userProperties } },
          { packetId: 2, reasonCode: 0, properties: { userProperties } },
        ]);
        expect(refused).toBeInstanceOf(MqttPublishError);
        expect(refused).toMatchObject({ reasonCode: 0x97, topic: 't', properties: { reasonString: 'quota', userProperties } });
        expect((refused as Error).message).toContain('quota');
        expect(subscribeError).toBeInstanceOf(MqttSubscribeError);
        expect(subscribeError).toMatchObject({ reasonCode: 0x8f, filter: 'x/#', properties: { reasonString: 'filter not allowed', userProperties } });
      }, 10);
    });
  });

  it('a refusing UNSUBACK is shown in packets$ (the stream had ended already)', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { unsuback: () => [0x87] }, { protocolVersion: 5 });
      const unsubacks: PacketEvent[] = [];
      client.packets$.subscribe((e) => {
        if (e.packet.cmd === 'unsuback') unsubacks.push(e);
      });
      const subscription = client.topic('a/#').subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 5);
      scheduler.schedule(() => client.end(), 10);
      scheduler.schedule(() => {
        expect(unsubacks).toEqual([{ direction: 'in', packet: { cmd: 'unsuback', messageId: 2, granted: [0x87] } }]);
        expect(broker.connected).toBe(true);
      }, 6);
    });
  });
});

describe('SUBSCRIBE and UNSUBSCRIBE properties on the scripted broker (MQTT 5)', () => {
  it('3.10.2.1.2: the last stream of a filter to leave sends its unsubscribeUserProperties in the UNSUBSCRIBE', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      const first = client.topic('a/#', { userProperties: { why: 'dashboard' }, unsubscribeUserProperties: { bye: 'first' } }).subscribe();
      const last = client.topic('a/#', { unsubscribeUserProperties: { bye: 'last' } }).subscribe();
      scheduler.schedule(() => first.unsubscribe(), 5);
      scheduler.schedule(() => last.unsubscribe(), 10);
      scheduler.schedule(() => client.end(), 20);
      expectObservable(broker.received$.pipe(ofCmd('subscribe', 'unsubscribe'))).toBe('a 9ms b', {
        a: { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#', qos: 0, nl: false, rap: false, rh: 0 }], properties: { subscriptionIdentifier: 1, userProperties: { why: 'dashboard' } } },
        b: { cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a/#'], properties: { userProperties: { bye: 'last' } } },
      });
    });
  });

  it('options a SUBSCRIBE or UNSUBSCRIBE cannot carry fail the stream at once; nothing is sent, the connection stays up', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      const bad = { userProperties: { n: 5 as unknown as string } };
      expectObservable(client.topic('a', bad)).toBe('#', undefined, expect.any(TypeError));
      expectObservable(client.topic('a', { retainHandling: 3 as 0 })).toBe('#', undefined, new RangeError('retainHandling must be 0, 1 or 2, not 3'));
      expectObservable(client.topic('$share/g/a', { noLocal: true })).toBe('#', undefined, expect.any(TypeError));
      scheduler.schedule(() => client.end(), 50);
      expectObservable(broker.commands$).toBe('c 49ms (dx)', CMD);
    });
  });
});

describe('Assigned Client Identifier and the DISCONNECT of end() on the scripted broker', () => {
  it("MQTT-3.1.3-7: clientId '' → the connected state names the identifier the server assigned", () => {
    marbles((_helpers, scheduler) => {
      const { client } = clientOnKit(scheduler, {}, { protocolVersion: 5, clientId: '' });
      let state: ConnectionState | undefined;
      client.state$.subscribe((s) => (state = s));
      scheduler.schedule(() => {
        expect(state).toMatchObject({ status: 'connected', clientId: 'scripted-broker-1' });
        client.end();
      }, 1);
    });
  });

  it('the DISCONNECT of end() carries the Session Expiry Interval', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5, sessionExpiryInterval: 300 });
      let disconnect: DisconnectPacket | undefined;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      scheduler.schedule(() => client.end({ sessionExpiryInterval: 0 }).subscribe(), 5);
      scheduler.schedule(() => expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } }), 6);
    });
  });

  it('after a CONNECT with no Session Expiry Interval, a non-zero one is not sent: the client ends, end() fails with a RangeError', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      let disconnect: DisconnectPacket | undefined;
      let error: unknown;
      let state: ConnectionState | undefined;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      client.state$.subscribe((s) => (state = s));
      scheduler.schedule(() => client.end({ sessionExpiryInterval: 60 }).subscribe({ error: (e: unknown) => (error = e) }), 5);
      scheduler.schedule(() => {
        expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0 });
        expect(state).toEqual({ status: 'closed' });
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toContain('sessionExpiryInterval');
      }, 6);
    });
  });

  it('MQTT 5 3.14.2.2.3 / 3.14.2.2.4: the DISCONNECT of end() carries its Reason String and User Properties, with the reason code', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      let disconnect: DisconnectPacket | undefined;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      const properties = { reasonString: 'dashboard closed', userProperties: { user: 'alice', tabs: ['1', '2'] } };
      scheduler.schedule(() => client.end({ reasonCode: 0x04, properties }).subscribe(), 5);
      scheduler.schedule(() => expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0x04, properties }), 6);
    });
  });

  it('a graceful end() waiting for a flow, then end({ force: true }): the DISCONNECT has what both asked', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, { puback: false }, { protocolVersion: 5, sessionExpiryInterval: 10 });
      let disconnect: DisconnectPacket | undefined;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      scheduler.schedule(() => client.publish('t', 'x', { qos: 1 }).subscribe({ error: () => undefined }), 1);
      scheduler.schedule(() => client.end({ properties: { reasonString: 'first' }, sessionExpiryInterval: 0 }).subscribe(), 2);
      scheduler.schedule(() => client.end({ force: true, reasonCode: 0x04 }).subscribe(), 3);
      scheduler.schedule(
        () => expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0x04, properties: { sessionExpiryInterval: 0, reasonString: 'first' } }),
        4,
      );
    });
  });

  it('a reason code a DISCONNECT may not carry is not sent (0 instead): the client ends, end() fails with a RangeError', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      let disconnect: DisconnectPacket | undefined;
      let error: unknown;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      scheduler.schedule(() => client.end({ reasonCode: 0x10 }).subscribe({ error: (e: unknown) => (error = e) }), 5);
      scheduler.schedule(() => {
        expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0 });
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(/^end\(\) reasonCode was not sent: /);
      }, 6);
    });
  });

  it('properties that cannot be encoded are not sent: the client ends, end() fails with a TypeError; 3.x ignores them', () => {
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 5 });
      let disconnect: DisconnectPacket | undefined;
      let error: unknown;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      const bad = { userProperties: { n: 7 as unknown as string } };
      scheduler.schedule(() => client.end({ reasonCode: 0x04, properties: bad }).subscribe({ error: (e: unknown) => (error = e) }), 5);
      scheduler.schedule(() => {
        expect(disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0x04 });
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^end\(\) properties were not sent: /);
      }, 6);
    });
    marbles((_helpers, scheduler) => {
      const { broker, client } = clientOnKit(scheduler, {}, { protocolVersion: 4 });
      let disconnect: DisconnectPacket | undefined;
      broker.received$.pipe(ofCmd('disconnect')).subscribe((p) => (disconnect = p));
      let failed = false;
      scheduler.schedule(() => client.end({ properties: { reasonString: 'ignored' } }).subscribe({ error: () => (failed = true) }), 5);
      scheduler.schedule(() => {
        expect(disconnect).toEqual({ cmd: 'disconnect' });
        expect(failed).toBe(false);
      }, 6);
    });
  });

  it('a bad value fails end() with a RangeError; the client still ends', () => {
    marbles(({ expectObservable }, scheduler) => {
      const { client } = clientOnKit(scheduler, {}, { protocolVersion: 5, sessionExpiryInterval: 10 });
      const ended = client.end({ sessionExpiryInterval: -1 });
      expectObservable(ended).toBe('#', undefined, new RangeError('sessionExpiryInterval must be an integer in 0..4294967295, not -1'));
    });
  });
});

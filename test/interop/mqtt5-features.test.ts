import { lastValueFrom, of, tap } from 'rxjs';
import {
  encode,
  MqttConnectionError,
  tcp,
  type Duplex,
  type MqttMessage,
  type PublishProperties,
  type Transport,
} from '../../src/index.js';
import { abruptTcp } from '../support/abrupt-tcp.js';
import { collect, collectUntil } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

let ids = 0;
const clientId = (): string => `rxmqtt_m5_${process.pid % 10_000}_${++ids}`;
const text = (m: MqttMessage): string => new TextDecoder().decode(m.payload);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describeWithMosquitto('MQTT 5 features on Mosquitto 2', () => {
  const suite = useMosquitto();

  describe('when the server disconnects', () => {
    it('a session takeover: Mosquitto 2.0.11 closes the first connection without a DISCONNECT (no 0x8E): closed with a MqttConnectionError without reason code', async () => {
      const id = clientId();
      const first = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id, reconnect: false });
      await waitFor(first.state$, 'connected');
      const inbound: string[] = [];
      first.packets$.subscribe((e) => {
        if (e.direction === 'in') inbound.push(e.packet.cmd);
      });
      const streamFailed = lastValueFrom(first.topic(uniqueTopic('taken')));
      // Mosquitto may close the first connection before the second one's CONNACK: handled
      // now, so that rejection is not reported as unhandled before it is asserted below.
      streamFailed.catch(() => undefined);
      const second = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id });
      await waitFor(second.state$, 'connected');
      const closed = await waitFor(first.state$, 'closed');
      expect(closed.error).toBeInstanceOf(MqttConnectionError);
      expect((closed.error as MqttConnectionError).reasonCode).toBeUndefined();
      expect(inbound).not.toContain('disconnect');
      await expect(streamFailed).rejects.toBe(closed.error);
    });

    describe('max_packet_size 100', () => {
      let small: MosquittoBroker;
      beforeAll(async () => {
        small = await startMosquitto({ extraConfig: ['max_packet_size 100'] });
      });
      afterAll(() => small.stop());

      it('a SUBSCRIBE over it gets DISCONNECT 0x95 (packet too large): on state$ and as the error of the topic() stream', async () => {
        // The client refuses such a SUBSCRIBE itself (MQTT-3.2.2-15, test/interop/packet-size.test.ts):
        // its bytes go under it, straight to the socket, to make Mosquitto disconnect.
        let duplex: Duplex | undefined;
        const transport: Transport = (u) => tcp()(u).pipe(tap((d) => (duplex = d)));
        const client = suite.pool.connect(`mqtt://127.0.0.1:${small.port}`, { protocolVersion: 5, reconnect: false, transport });
        await waitFor(client.state$, 'connected');
        const suback = nextPacket(client, 'suback');
        const streamFailed = lastValueFrom(client.topic(uniqueTopic('small')));
        await suback;
        const disconnect = nextPacket(client, 'disconnect');
        const oversized = encode({ cmd: 'subscribe', messageId: 999, subscriptions: [{ topic: `rxmqtt-test/${'x'.repeat(200)}`, qos: 0 }] }, 5);
        duplex?.send(oversized);
        expect((await disconnect).reasonCode).toBe(0x95);
        const closed = await waitFor(client.state$, 'closed');
        expect(closed.error).toBeInstanceOf(MqttConnectionError);
        expect(closed.error).toMatchObject({ reasonCode: 0x95, message: 'the server sent DISCONNECT (149)' });
        await expect(streamFailed).rejects.toBe(closed.error);
      });
    });
  });

  describe('session expiry on DISCONNECT', () => {
    it('connected with 300, ended with sessionExpiryInterval 0: the next connection finds no session', async () => {
      const id = clientId();
      const client = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id, sessionExpiryInterval: 300 });
      await waitFor(client.state$, 'connected');
      const disconnect = nextPacket(client, 'disconnect', 'out');
      await suite.pool.end(client, { sessionExpiryInterval: 0 });
      expect((await disconnect).properties).toEqual({ sessionExpiryInterval: 0 });
      const again = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id, clean: false, sessionExpiryInterval: 300 });
      expect((await waitFor(again.state$, 'connected')).sessionPresent).toBe(false);
    });

    it('connected with 300, ended with nothing: the session is present on the next connection', async () => {
      const id = clientId();
      const client = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id, sessionExpiryInterval: 300 });
      await waitFor(client.state$, 'connected');
      await suite.pool.end(client);
      const again = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id, clean: false, sessionExpiryInterval: 300 });
      expect((await waitFor(again.state$, 'connected')).sessionPresent).toBe(true);
      await suite.pool.end(again, { sessionExpiryInterval: 0 });
    });

    it('connected with 0: end({ sessionExpiryInterval: 300 }) ends the client without it and fails with a RangeError', async () => {
      const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
      await waitFor(client.state$, 'connected');
      const disconnect = nextPacket(client, 'disconnect', 'out');
      await expect(lastValueFrom(client.end({ sessionExpiryInterval: 300 }), { defaultValue: undefined })).rejects.toBeInstanceOf(RangeError);
      expect(await disconnect).toEqual({ cmd: 'disconnect', reasonCode: 0 });
    });
  });

  describe('will delay and will properties', () => {
    const willProperties = {
      payloadFormatIndicator: true,
      contentType: 'text/plain',
      responseTopic: 'rxmqtt-test/will-reply',
      correlationData: new Uint8Array([7, 7]),
      userProperties: { reason: 'gone' },
      messageExpiryInterval: 600,
    };

    it('a will with willDelayInterval 2 is published after the connection drops, with its properties (3.1.3.2.2)', async () => {
      const topic = uniqueTopic('will-delay');
      const receiver = suite.pool.connect(suite.url, { protocolVersion: 5 });
      await waitFor(receiver.state$, 'connected');
      const suback = nextPacket(receiver, 'suback');
      const wills = collect(receiver.topic(topic, { qos: 1 }), 1);
      await suback;
      const wire = abruptTcp();
      const dying = suite.pool.connect(suite.url, {
        protocolVersion: 5,
        clientId: clientId(),
        sessionExpiryInterval: 60,
        transport: wire.transport,
        reconnect: false,
        will: { topic, payload: 'bye', qos: 1, properties: { ...willProperties, willDelayInterval: 2 } },
      });
      await waitFor(dying.state$, 'connected');
      wire.drop();
      const [will] = await wills;
      expect(will && text(will)).toBe('bye');
      const { messageExpiryInterval, ...forwarded } = willProperties;
      expect(will?.properties).toMatchObject(forwarded);
      // MQTT-3.3.2-6: the expiry arrives less the time the message waited.
      expect(will?.properties?.messageExpiryInterval).toBeLessThanOrEqual(messageExpiryInterval);
    });

    it('end({ reasonCode: 0x04, properties }): Mosquitto takes the DISCONNECT with its Reason String and User Properties and publishes the will (3.14.2.1)', async () => {
      const topic = uniqueTopic('will-on-end');
      const receiver = suite.pool.connect(suite.url, { protocolVersion: 5 });
      await waitFor(receiver.state$, 'connected');
      const suback = nextPacket(receiver, 'suback');
      const wills = collect(receiver.topic(topic, { qos: 1 }), 1);
      await suback;
      const leaving = suite.pool.connect(suite.url, {
        protocolVersion: 5,
        clientId: clientId(),
        will: { topic, payload: 'left on purpose', qos: 1 },
      });
      await waitFor(leaving.state$, 'connected');
      const sent = nextPacket(leaving, 'disconnect', 'out');
      await lastValueFrom(leaving.end({ reasonCode: 0x04, properties: { reasonString: 'maintenance', userProperties: { by: 'test' } } }), {
        defaultValue: undefined,
      });
      expect(await sent).toEqual({
        cmd: 'disconnect',
        reasonCode: 0x04,
        properties: { reasonString: 'maintenance', userProperties: { by: 'test' } },
      });
      const [will] = await wills;
      expect(will && text(will)).toBe('left on purpose');
    });

    it('MQTT-3.1.3-9: the will is not published when the client reconnects within the delay', async () => {
      const topic = uniqueTopic('will-cancelled');
      const receiver = suite.pool.connect(suite.url, { protocolVersion: 5 });
      await waitFor(receiver.state$, 'connected');
      const suback = nextPacket(receiver, 'suback');
      const seen = collectUntil(receiver.topic(topic, { qos: 1 }), (m) => text(m) === 'sentinel');
      await suback;
      const wire = abruptTcp();
      const blip = suite.pool.connect(suite.url, {
        protocolVersion: 5,
        clientId: clientId(),
        sessionExpiryInterval: 60,
        transport: wire.transport,
        reconnect: { initialDelay: 50, maxDelay: 50, jitter: 0 },
        will: { topic, payload: 'bye', qos: 1, properties: { willDelayInterval: 2 } },
      });
      await waitFor(blip.state$, 'connected');
      const back = nextPacket(blip, 'connack');
      wire.drop();
      // The reconnect resumes the session (Clean Start 0) well within the 2 s delay.
      expect((await back).sessionPresent).toBe(true);
      // Give Mosquitto the delay and more, then end normally (DISCONNECT 0x00: no will either).
      await sleep(3500);
      await suite.pool.end(blip);
      await lastValueFrom(receiver.publish(topic, 'sentinel', { qos: 1 }));
      expect((await seen).map(text)).toEqual([]);
    });
  });

  describe('assigned client identifier', () => {
    it("MQTT-3.1.3-7: clientId '' → the connected state names the identifier Mosquitto assigned", async () => {
      const client = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: '' });
      const connected = await waitFor(client.state$, 'connected');
      expect(connected.clientId).toMatch(/^auto-/);
      expect(connected.clientId).toBe(connected.connack.properties?.assignedClientIdentifier);
    });

    it('our own client id otherwise', async () => {
      const id = clientId();
      const client = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: id });
      expect((await waitFor(client.state$, 'connected')).clientId).toBe(id);
    });
  });

  describe('properties on messages', () => {
    it('MQTT-3.3.2-4 / -15 / -16 / -17 / -20: a received message carries the PUBLISH properties Mosquitto forwards', async () => {
      const topic = uniqueTopic('props');
      const client = suite.pool.connect(suite.url, { protocolVersion: 5 });
      await waitFor(client.state$, 'connected');
      const suback = nextPacket(client, 'suback');
      const got = collect(client.topic(topic, { qos: 1 }), 1);
      await suback;
      const properties: PublishProperties = {
        payloadFormatIndicator: true,
        messageExpiryInterval: 120,
        contentType: 'application/json',
        responseTopic: 'rxmqtt-test/reply',
        correlationData: new Uint8Array([1, 2, 3]),
        userProperties: { a: '1', b: ['x', 'y'] },
      };
      const result = await lastValueFrom(client.publish(topic, '{"ok":true}', { qos: 1, properties }));
      expect(result.reasonCode).toBe(0);
      const [message] = await got;
      const { messageExpiryInterval, ...rest } = properties;
      expect(message?.properties).toMatchObject(rest);
      expect(message?.properties?.messageExpiryInterval).toBeLessThanOrEqual(messageExpiryInterval ?? 0);
    });
  });

  describe('enhanced authentication', () => {
    it('Mosquitto without an authentication plugin refuses an Authentication Method: CONNACK 0x8C (bad authentication method, MQTT-4.12.0-1), closed, no retry', async () => {
      const client = suite.pool.connect(suite.url, {
        protocolVersion: 5,
        authenticate: { method: 'SCRAM-SHA-1', data: new Uint8Array([1]), respond: () => of(undefined) },
        reconnect: { initialDelay: 10, maxDelay: 10 },
      });
      const closed = await waitFor(client.state$, 'closed');
      expect(closed.error).toBeInstanceOf(MqttConnectionError);
      expect(closed.error).toMatchObject({ reasonCode: 0x8c });
    });
  });
});

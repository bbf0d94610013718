import { forkJoin, lastValueFrom } from 'rxjs';
import type { ClientOptions, ConnectPacket, MqttClient, MqttMessage, PublishPacket } from '../../src/index.js';
import { abruptTcp, isQosPublish } from '../support/abrupt-tcp.js';
import { collect, collectUntil } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

const texts = (messages: MqttMessage[]): string[] => messages.map((m) => Buffer.from(m.payload).toString());
const fastRetry = { initialDelay: 100, maxDelay: 200, factor: 2, jitter: 0 };
let ids = 0;
const clientId = (): string => `rxmqtt_s${process.pid % 10_000}_${++ids}`;

describeWithMosquitto('sessions on Mosquitto 2', () => {
  const suite = useMosquitto();

  /** Connects with `options`, subscribes `topic` at QoS 1, waits for SUBACK, then ends the client. */
  async function subscribeAndLeave(options: ClientOptions, topic: string): Promise<void> {
    const client = suite.pool.connect(suite.url, options);
    await waitFor(client.state$, 'connected');
    const suback = nextPacket(client, 'suback');
    const sub = client.topic(topic, { qos: 1 }).subscribe();
    await suback;
    await suite.pool.end(client);
    sub.unsubscribe();
  }

  /** Publishes each message at QoS 1 from a fresh MQTT 5 client. */
  async function publishAll(topic: string, messages: string[]): Promise<MqttClient> {
    const publisher = suite.pool.connect(suite.url, { protocolVersion: 5 });
    await lastValueFrom(forkJoin(messages.map((m) => publisher.publish(topic, m, { qos: 1 }))));
    return publisher;
  }

  it('MQTT 3.1.1, clean: false: messages published while away arrive after reconnecting, sessionPresent true', async () => {
    const options: ClientOptions = { protocolVersion: 4, clientId: clientId(), clean: false };
    const topic = uniqueTopic('v4-persist');
    await subscribeAndLeave(options, topic);
    await publishAll(topic, ['one', 'two', 'three']);

    const again = suite.pool.connect(suite.url, options);
    const queued = collect(again.messages$, 3);
    expect((await waitFor(again.state$, 'connected')).sessionPresent).toBe(true);
    expect(texts(await queued)).toEqual(['one', 'two', 'three']);
  });

  it('MQTT 5, clean: false with a session expiry: the session outlives end() and its messages arrive', async () => {
    const options: ClientOptions = { protocolVersion: 5, clientId: clientId(), clean: false, sessionExpiryInterval: 300 };
    const topic = uniqueTopic('v5-persist');
    await subscribeAndLeave(options, topic);
    await publishAll(topic, ['one', 'two', 'three']);

    const again = suite.pool.connect(suite.url, options);
    const queued = collect(again.messages$, 3);
    expect((await waitFor(again.state$, 'connected')).sessionPresent).toBe(true);
    const messages = await queued;
    expect(texts(messages)).toEqual(['one', 'two', 'three']);
    expect(messages.every((m) => m.topic === topic && m.qos === 1)).toBe(true);
  });

  it('MQTT 5, no session expiry: the session ends with the connection (sessionPresent false after)', async () => {
    const options: ClientOptions = { protocolVersion: 5, clientId: clientId(), clean: false };
    await subscribeAndLeave(options, uniqueTopic('v5-expired'));
    const again = suite.pool.connect(suite.url, options);
    expect((await waitFor(again.state$, 'connected')).sessionPresent).toBe(false);
  });

  it('MQTT 5, clean start then a network blip: the reconnect asks to resume (Clean Start 0) and gets the session back', async () => {
    const wire = abruptTcp();
    const topic = uniqueTopic('v5-blip');
    const client = suite.pool.connect(suite.url, {
      protocolVersion: 5,
      clientId: clientId(),
      sessionExpiryInterval: 300,
      transport: wire.transport,
      reconnect: fastRetry,
    });
    const connects: ConnectPacket[] = [];
    client.packets$.subscribe((e) => {
      if (e.direction === 'out' && e.packet.cmd === 'connect') connects.push(e.packet);
    });
    expect((await waitFor(client.state$, 'connected')).sessionPresent).toBe(false);
    const suback = nextPacket(client, 'suback');
    const messages = collect(client.topic(topic, { qos: 1 }), 2);
    await suback;

    const reconnecting = waitFor(client.state$, 'reconnecting');
    wire.drop();
    await reconnecting;
    await publishAll(topic, ['during the blip']);
    const back = await waitFor(client.state$, 'connected');
    expect(back.sessionPresent).toBe(true);
    await publishAll(topic, ['after']);
    expect(texts(await messages)).toEqual(['during the blip', 'after']);
    expect(connects.map((c) => c.clean)).toEqual([true, false]);
  });

  it('MQTT 5 without session expiry, after a network blip: no session, and topic() subscribes again by itself', async () => {
    const wire = abruptTcp();
    const topic = uniqueTopic('v5-resubscribe');
    const client = suite.pool.connect(suite.url, { protocolVersion: 5, transport: wire.transport, reconnect: fastRetry });
    await waitFor(client.state$, 'connected');
    const suback = nextPacket(client, 'suback');
    const messages = collect(client.topic(topic, { qos: 1 }), 1);
    await suback;

    const resubscribed = nextPacket(client, 'suback');
    wire.drop();
    await resubscribed;
    const state = await waitFor(client.state$, 'connected');
    expect(state.sessionPresent).toBe(false);
    await publishAll(topic, ['after']);
    expect(texts(await messages)).toEqual(['after']);
  });
});

describeWithMosquitto('publishes lost with the connection, Mosquitto 2', () => {
  const suite = useMosquitto();

  const cases: [string, ClientOptions, boolean][] = [
    ['MQTT 5 with a session expiry', { protocolVersion: 5, sessionExpiryInterval: 300 }, true],
    ['MQTT 3.1.1, clean: false', { protocolVersion: 4, clean: false }, true],
    ['MQTT 5 without session expiry', { protocolVersion: 5 }, false],
    ['MQTT 3.1.1, clean: true', { protocolVersion: 4 }, false],
  ];
  describe.each(cases)('%s', (_name, options, resumed) => {
    it.each([1, 2] as const)(
      `a QoS %i PUBLISH lost on the way is sent again after the reconnect (${resumed ? 'DUP, session present' : 'as a new message, no session'}) and arrives once`,
      async (qos) => {
        const topic = uniqueTopic(`lost-q${qos}`);
        const watcher = suite.pool.connect(suite.url, { protocolVersion: 5 });
        await waitFor(watcher.state$, 'connected');
        const suback = nextPacket(watcher, 'suback');
        const seen = collectUntil(watcher.topic(topic, { qos: 2 }), (m) => Buffer.from(m.payload).toString() === 'sentinel');
        await suback;

        const wire = abruptTcp();
        const client = suite.pool.connect(suite.url, { ...options, clientId: clientId(), transport: wire.transport, reconnect: fastRetry });
        const publishes: PublishPacket[] = [];
        client.packets$.subscribe((e) => {
          if (e.direction === 'out' && e.packet.cmd === 'publish') publishes.push(e.packet);
        });
        await waitFor(client.state$, 'connected');
        wire.dropBefore(isQosPublish);
        const result = lastValueFrom(client.publish(topic, 'once', { qos }));
        await waitFor(client.state$, 'reconnecting');
        const back = await waitFor(client.state$, 'connected');
        expect(back.sessionPresent).toBe(resumed);
        expect((await result).reasonCode).toBe(0);

        expect(publishes.map((p) => p.dup)).toEqual([false, resumed]);
        if (resumed) expect(publishes[1]?.messageId).toBe(publishes[0]?.messageId); // MQTT-4.4.0-1
        await lastValueFrom(watcher.publish(topic, 'sentinel', { qos: 2 }));
        expect(texts(await seen)).toEqual(['once']);
      },
    );

    if (resumed) {
      it('a QoS 2 PUBREL lost on the way is sent again after the reconnect, the PUBLISH is not, and the message arrives once (MQTT-4.4.0-1)', async () => {
        const topic = uniqueTopic('lost-pubrel');
        const watcher = suite.pool.connect(suite.url, { protocolVersion: 5 });
        await waitFor(watcher.state$, 'connected');
        const suback = nextPacket(watcher, 'suback');
        const seen = collectUntil(watcher.topic(topic, { qos: 2 }), (m) => Buffer.from(m.payload).toString() === 'sentinel');
        await suback;

        const wire = abruptTcp();
        const client = suite.pool.connect(suite.url, { ...options, clientId: clientId(), transport: wire.transport, reconnect: fastRetry });
        const out: string[] = [];
        client.packets$.subscribe((e) => {
          if (e.direction === 'out' && ['publish', 'pubrel'].includes(e.packet.cmd)) out.push(e.packet.cmd);
        });
        await waitFor(client.state$, 'connected');
        wire.dropBefore((bytes) => bytes[0] === 0x62); // PUBREL (MQTT-3.6.1-1: flags 0010)
        const result = lastValueFrom(client.publish(topic, 'once', { qos: 2 }));
        await waitFor(client.state$, 'reconnecting');
        expect((await waitFor(client.state$, 'connected')).sessionPresent).toBe(true);
        expect((await result).reasonCode).toBe(0);
        expect(out).toEqual(['publish', 'pubrel', 'pubrel']);
        await lastValueFrom(watcher.publish(topic, 'sentinel', { qos: 2 }));
        expect(texts(await seen)).toEqual(['once']);
      });
    }
  });
});

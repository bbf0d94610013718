import { firstValueFrom, forkJoin, lastValueFrom, map, timer } from 'rxjs';
import { MqttTimeoutError, respond } from '../../src/index.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const text = new TextDecoder();

describeWithMosquitto('MQTT 5 request / response on Mosquitto 2', () => {
  const suite = useMosquitto();

  it('100 concurrent requests from one client to a responder client are all answered, each with its own reply', async () => {
    const service = uniqueTopic('upper');
    const responder = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const requester = suite.pool.connect(suite.url, { protocolVersion: 5 });
    // The responder answers after 0–12 ms, so replies come back out of order.
    const suback = nextPacket(responder, 'suback');
    respond(responder, service, (req) => {
      const body = text.decode(req.payload);
      return timer(Number(body.slice(1)) % 13).pipe(map(() => body.toUpperCase()));
    }).subscribe();
    await suback;

    const bodies = Array.from({ length: 100 }, (_, i) => `r${i}`);
    const replies = await lastValueFrom(
      forkJoin(bodies.map((body) => requester.request(service, body, { qos: 1, timeout: 20_000 }).pipe(map((m) => text.decode(m.payload))))),
    );
    expect(replies).toEqual(bodies.map((b) => b.toUpperCase()));

    // One response subscription for all of them, named after the client id.
    const subscribes: string[] = [];
    requester.packets$.subscribe(({ direction, packet }) => {
      if (direction === 'out' && packet.cmd === 'subscribe') subscribes.push(packet.subscriptions[0]?.topic ?? '');
    });
    const again = await firstValueFrom(requester.request(service, 'r1').pipe(map((m) => text.decode(m.payload))));
    expect(again).toBe('R1');
    expect(subscribes).toEqual([]);
  });

  it('the reply carries the responder\'s properties and the request\'s correlation data; the response topic defaults to rx-mqtt/response/<clientId>', async () => {
    const service = uniqueTopic('echo');
    const responder = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const requester = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: 'rx-req-props' });
    const suback = nextPacket(responder, 'suback');
    respond(responder, service, (req) => ({
      payload: req.payload,
      qos: 1,
      properties: { contentType: 'application/octet-stream', userProperties: { status: 'ok' } },
    })).subscribe();
    await suback;

    const sent = nextPacket(requester, 'publish', 'out');
    const reply = await firstValueFrom(requester.request(service, new Uint8Array([1, 2, 3]), { properties: { userProperties: { who: 'test' } } }));
    const request = await sent;
    expect(request.properties?.responseTopic).toBe('rx-mqtt/response/rx-req-props');
    expect(request.properties?.userProperties).toEqual({ who: 'test' });
    // MQTT-3.3.2-16: the server passes the correlation data on unaltered, both ways.
    expect(reply.properties?.correlationData).toEqual(request.properties?.correlationData);
    expect(reply.topic).toBe('rx-mqtt/response/rx-req-props');
    expect([...reply.payload]).toEqual([1, 2, 3]);
    expect(reply.qos).toBe(1);
    expect(reply.properties?.contentType).toBe('application/octet-stream');
    expect(reply.properties?.userProperties).toEqual({ status: 'ok' });
  });

  it('Mosquitto 2.0.11 sends no Response Information, even when asked: the client-id topic is used', async () => {
    const service = uniqueTopic('info');
    const responder = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const requester = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: 'rx-req-info', properties: { requestResponseInformation: true } });
    const connack = (await waitFor(requester.state$, 'connected')).connack;
    expect(connack.properties?.responseInformation).toBeUndefined();
    const suback = nextPacket(responder, 'suback');
    respond(responder, service, () => 'pong').subscribe();
    await suback;
    const reply = await firstValueFrom(requester.request(service, 'ping'));
    expect(reply.topic).toBe('rx-mqtt/response/rx-req-info');
  });

  it('replies on the response topic with foreign correlation data are ignored', async () => {
    const service = uniqueTopic('slow');
    const responder = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const requester = suite.pool.connect(suite.url, { protocolVersion: 5, clientId: 'rx-req-stray' });
    const suback = nextPacket(responder, 'suback');
    // Before answering, the responder sends two strays to the requester's response topic.
    respond(responder, service, (req) => {
      const topic = req.properties?.responseTopic ?? '';
      return forkJoin([
        responder.publish(topic, 'stray', { qos: 1, properties: { correlationData: new Uint8Array(14).fill(1) } }),
        responder.publish(topic, 'bare', { qos: 1 }),
      ]).pipe(map(() => 'real'));
    }).subscribe();
    await suback;
    const arrived: string[] = [];
    requester.messages$.subscribe((m) => arrived.push(text.decode(m.payload)));
    const reply = await firstValueFrom(requester.request(service, 'q', { qos: 1 }));
    expect(text.decode(reply.payload)).toBe('real');
    expect(arrived).toEqual(['stray', 'bare', 'real']); // the strays did reach the client, first
  });

  it('with no responder, fails with MqttTimeoutError naming the topic', async () => {
    const requester = suite.pool.connect(suite.url, { protocolVersion: 5 });
    const service = uniqueTopic('nobody');
    await expect(firstValueFrom(requester.request(service, 'hello?', { timeout: 300 }))).rejects.toThrow(
      new MqttTimeoutError(`no response to the request to "${service}" within 300 ms`),
    );
  });
});

import './support/zoneless-env.js';
import { Component, Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { MqttService, provideMqtt, stateSignal, topicSignal } from '../../src/angular/index.js';
import { asJson, asText, connect, MqttSubscribeError } from '../../src/index.browser.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

/** Resolves once the broker has received a packet of `cmd`. */
function received(broker: ScriptedBroker, cmd: string): Promise<unknown> {
  return firstValueFrom(broker.commands$.pipe(filter((c) => c === cmd)));
}

/** Sends a PUBLISH from the broker and resolves once its QoS flow is done (at once for QoS 0). */
function publish(broker: ScriptedBroker, topic: string, payload: string, qos: 0 | 1 = 0): Promise<unknown> {
  return lastValueFrom(broker.publish(topic, payload, { qos }), { defaultValue: undefined });
}

/** Resolves once the broker has answered the client's SUBSCRIBE. */
function subscribed(broker: ScriptedBroker): Promise<unknown> {
  return firstValueFrom(broker.sent$.pipe(filter((packet) => packet.cmd === 'suback')));
}

@Component({
  selector: 'test-temperature',
  template: `<p>{{ celsius() ?? 'waiting' }}</p>`,
})
class Temperature {
  readonly celsius = topicSignal('home/+/temperature', { qos: 1, pipe: asText() });
}

@Component({
  selector: 'test-status',
  template: `{{ state().status }}`,
})
class Status {
  readonly state = stateSignal();
}

describe('topicSignal (zoneless, scripted broker)', () => {
  let broker: ScriptedBroker;

  beforeEach(() => {
    broker = scriptedBroker();
    TestBed.configureTestingModule({
      providers: [provideMqtt({ url: 'mqtt://broker', options: { transport: broker.transport } })],
    });
  });

  it('renders the latest message of a component, re-rendered by the signal alone', async () => {
    const fixture = TestBed.createComponent(Temperature);
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('waiting');
    await subscribed(broker);
    const subscribe = await firstValueFrom(broker.received$.pipe(filter((packet) => packet.cmd === 'subscribe')));
    expect(subscribe).toMatchObject({ subscriptions: [{ topic: 'home/+/temperature', qos: 1 }] });

    await publish(broker, 'home/kitchen/temperature', '21.5', 1);
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('21.5');
    await publish(broker, 'home/office/temperature', '19');
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('19');
  });

  it('unsubscribes when the component is destroyed (UNSUBSCRIBE sent)', async () => {
    const fixture = TestBed.createComponent(Temperature);
    await subscribed(broker);
    fixture.destroy();
    await received(broker, 'unsubscribe');
    expect(broker.connected).toBe(true);
  });

  it('holds MqttMessage objects without pipe, and any mapping with it', async () => {
    const injector = TestBed.inject(Injector);
    const raw = topicSignal('readings/#', { injector });
    const json = topicSignal('readings/#', { injector, pipe: asJson<{ celsius: number }>() });
    expect(raw()).toBeUndefined();
    await subscribed(broker);
    await publish(broker, 'readings/a', '{"celsius":20}');
    expect(raw()?.topic).toBe('readings/a');
    expect(json()).toEqual({ celsius: 20 });
  });

  it('needs an injection context or an injector', () => {
    expect(() => topicSignal('a')).toThrow(/injection context/);
    expect(() => stateSignal()).toThrow(/injection context/);
  });

  it('throws the subscription error when read, e.g. a refused SUBSCRIBE', async () => {
    broker.configure({ suback: () => [0x80] });
    const value = topicSignal('forbidden/#', { injector: TestBed.inject(Injector) });
    await subscribed(broker);
    expect(() => value()).toThrow(MqttSubscribeError);
  });

  it('subscribes with a client of your own', async () => {
    const client = connect('mqtt://own', { transport: broker.transport });
    const value = topicSignal('own/topic', { client, injector: TestBed.inject(Injector), pipe: asText() });
    await subscribed(broker);
    await publish(broker, 'own/topic', 'mine');
    expect(value()).toBe('mine');
    await lastValueFrom(client.end(), { defaultValue: undefined });
    expect(value()).toBe('mine'); // keeps the last value after end()
  });
});

describe('stateSignal (zoneless, scripted broker)', () => {
  it('shows connecting, connected, then closed after end()', async () => {
    const broker = scriptedBroker({ delays: { connack: 20 } });
    TestBed.configureTestingModule({
      providers: [provideMqtt({ url: 'mqtt://broker', options: { transport: broker.transport } })],
    });
    const fixture = TestBed.createComponent(Status);
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('connecting');
    const mqtt = TestBed.inject(MqttService);
    await firstValueFrom(mqtt.state$.pipe(filter((s) => s.status === 'connected')));
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('connected');
    await lastValueFrom(mqtt.end(), { defaultValue: undefined });
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('closed');
    expect(broker.connected).toBe(false);
  });
});

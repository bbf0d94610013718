import './support/zoneless-env.js';
import { createEnvironmentInjector, EnvironmentInjector, InjectionToken, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { MQTT_CONFIG, MqttService, provideMqtt } from '../../src/angular/index.js';
import type { ConnectionState } from '../../src/index.browser.js';
import { MqttClosedError } from '../../src/index.browser.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

const text = new TextDecoder();

/** Resolves once the client is connected. */
function connected(mqtt: MqttService): Promise<ConnectionState> {
  return firstValueFrom(mqtt.state$.pipe(filter((state) => state.status === 'connected')));
}

/** Resolves once the broker has received a packet of `cmd`. */
function received(broker: ScriptedBroker, cmd: string): Promise<unknown> {
  return firstValueFrom(broker.commands$.pipe(filter((c) => c === cmd)));
}

describe('provideMqtt / MqttService (zoneless, scripted broker)', () => {
  let broker: ScriptedBroker;
  let mqtt: MqttService;

  beforeEach(() => {
    broker = scriptedBroker();
    TestBed.configureTestingModule({
      providers: [provideMqtt({ url: 'mqtt://broker', options: { transport: broker.transport, reconnect: false } })],
    });
    mqtt = TestBed.inject(MqttService);
  });

  it('provides the config under MQTT_CONFIG', () => {
    expect(TestBed.inject(MQTT_CONFIG).url).toBe('mqtt://broker');
  });

  it('connects lazily: not on injection, not on reading a member, not on an unsubscribed publish()', () => {
    void mqtt.state$;
    void mqtt.messages$;
    mqtt.topic('a/#');
    mqtt.publish('a/b', 'x');
    expect(broker.attempts).toBe(0);
  });

  it('connects on the first subscription, once, and every member shares that client', async () => {
    const state = connected(mqtt);
    expect(broker.attempts).toBe(1);
    await state;
    const message = firstValueFrom(mqtt.topic('a/#'));
    const all = firstValueFrom(mqtt.messages$);
    await lastValueFrom(mqtt.publish('a/b', 'hello', { qos: 1 }));
    expect(text.decode((await message).payload)).toBe('hello');
    expect((await all).topic).toBe('a/b');
    expect(broker.connections).toBe(1);
  });

  it('traces packets in packets$', async () => {
    const trace = firstValueFrom(mqtt.packets$.pipe(filter((event) => event.packet.cmd === 'connack')));
    expect((await trace).direction).toBe('in');
  });

  it('ends the client when its injector is destroyed (DestroyRef → end())', async () => {
    await connected(mqtt);
    const states = lastValueFrom(mqtt.state$.pipe(toArray()));
    TestBed.resetTestingModule();
    await received(broker, 'disconnect');
    expect((await states).at(-1)).toEqual({ status: 'closed' });
  });

  it('completes topic() streams and refuses publishes after end()', async () => {
    await connected(mqtt);
    const stream = lastValueFrom(mqtt.topic('a/#').pipe(toArray()));
    await lastValueFrom(mqtt.end(), { defaultValue: undefined });
    expect(await stream).toEqual([]);
    await expect(lastValueFrom(mqtt.publish('a/b', 'late'))).rejects.toBeInstanceOf(MqttClosedError);
  });

  it('ended before its first use, it never connects', async () => {
    await lastValueFrom(mqtt.end(), { defaultValue: undefined });
    expect(await lastValueFrom(mqtt.state$.pipe(toArray()))).toEqual([{ status: 'closed' }]);
    expect(await lastValueFrom(mqtt.topic('a/#').pipe(toArray()))).toEqual([]);
    expect(await lastValueFrom(mqtt.messages$.pipe(toArray()))).toEqual([]);
    await expect(lastValueFrom(mqtt.publish('a/b', 'x'))).rejects.toBeInstanceOf(MqttClosedError);
    TestBed.resetTestingModule();
    expect(broker.attempts).toBe(0);
  });

  it('fails the subscriber (not the injector) when the URL cannot be used', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideMqtt({ url: 'mqtt://broker' })] });
    const service = TestBed.inject(MqttService);
    // The browser entry's connect speaks ws: and wss: only, unless a transport is given.
    await expect(firstValueFrom(service.state$)).rejects.toThrow(/not supported in the browser/);
  });
});

describe('provideMqtt with a config factory and child injectors', () => {
  const BROKER = new InjectionToken<ScriptedBroker>('broker');

  it('runs the config factory in the injection context, on first injection', async () => {
    const broker = scriptedBroker();
    const factory = jest.fn(() => ({ url: 'mqtt://factory', options: { transport: inject(BROKER).transport } }));
    TestBed.configureTestingModule({ providers: [{ provide: BROKER, useValue: broker }, provideMqtt(factory)] });
    expect(factory).not.toHaveBeenCalled();
    const mqtt = TestBed.inject(MqttService);
    expect(factory).toHaveBeenCalledTimes(1);
    await connected(mqtt);
    expect(broker.connections).toBe(1);
  });

  it('gives each environment injector its own client, ended with that injector', async () => {
    const root = scriptedBroker();
    const child = scriptedBroker();
    TestBed.configureTestingModule({ providers: [provideMqtt({ url: 'mqtt://root', options: { transport: root.transport } })] });
    const parent = TestBed.inject(EnvironmentInjector);
    const injector = createEnvironmentInjector([provideMqtt({ url: 'mqtt://child', options: { transport: child.transport } })], parent);
    const childService = injector.get(MqttService);
    expect(childService).not.toBe(TestBed.inject(MqttService));
    await connected(childService);
    await connected(TestBed.inject(MqttService));
    injector.destroy();
    await received(child, 'disconnect');
    expect(root.connected).toBe(true);
  });
});

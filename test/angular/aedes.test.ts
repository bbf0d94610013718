import './support/zoneless-env.js';
import { Component, Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { MqttService, provideMqtt, topicSignal } from '../../src/angular/index.js';
import { asText, connect, tcp } from '../../src/index.js';
import { startAedes, type AedesBroker } from '../support/aedes.js';

@Component({ selector: 'test-greeting', template: `{{ greeting() ?? 'none' }}` })
class Greeting {
  readonly greeting = topicSignal('rx-mqtt-angular/greeting', { qos: 1, pipe: asText() });
}

// A real round trip over TCP, in Angular's jsdom test environment: the client's `tcp()`
// transport (Node `net`) is given in the options, as an Angular server (SSR) would.
describe('rx-mqtt/angular against aedes over TCP', () => {
  let broker: AedesBroker;
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(() => broker.stop());

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideMqtt({ url: `mqtt://127.0.0.1:${broker.port}`, options: { transport: tcp(), reconnect: false } })],
    });
  });

  it('renders a message published by another client through the broker', async () => {
    const fixture = TestBed.createComponent(Greeting);
    const mqtt = TestBed.inject(MqttService);
    // SUBACK seen in the trace: the subscription is live at the broker.
    await firstValueFrom(mqtt.packets$.pipe(filter((event) => event.packet.cmd === 'suback')));
    const arrived = firstValueFrom(mqtt.messages$);
    const other = connect(`mqtt://127.0.0.1:${broker.port}`, { reconnect: false });
    try {
      await lastValueFrom(other.publish('rx-mqtt-angular/greeting', 'hello from aedes', { qos: 1 }));
    } finally {
      await lastValueFrom(other.end(), { defaultValue: undefined });
    }
    await arrived;
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('hello from aedes');
  });

  it('publishes through the service and ends the client with the injector', async () => {
    const mqtt = TestBed.inject(MqttService);
    const echo = topicSignal('rx-mqtt-angular/echo', { injector: TestBed.inject(Injector), pipe: asText() });
    await firstValueFrom(mqtt.packets$.pipe(filter((event) => event.packet.cmd === 'suback')));
    const arrived = firstValueFrom(mqtt.messages$);
    const result = await lastValueFrom(mqtt.publish('rx-mqtt-angular/echo', 'ping', { qos: 1 }));
    expect(result.reasonCode).toBe(0);
    await arrived;
    expect(echo()).toBe('ping');
    const states = lastValueFrom(mqtt.state$.pipe(toArray()));
    TestBed.resetTestingModule();
    expect((await states).at(-1)).toEqual({ status: 'closed' });
  });
});

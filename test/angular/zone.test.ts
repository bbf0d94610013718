import './support/zone-env.js';
import { ApplicationRef, Component, inject, NgZone } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { filter, first, firstValueFrom, lastValueFrom } from 'rxjs';
import { MqttService, provideMqtt, topicSignal } from '../../src/angular/index.js';
import { asText, connect } from '../../src/index.browser.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

/** Resolves once the broker has answered the client's SUBSCRIBE. */
function subscribed(broker: ScriptedBroker): Promise<unknown> {
  return firstValueFrom(broker.sent$.pipe(filter((packet) => packet.cmd === 'suback')));
}

/** Resolves once the client is connected. */
function connected(mqtt: { state$: MqttService['state$'] }): Promise<unknown> {
  return firstValueFrom(mqtt.state$.pipe(filter((state) => state.status === 'connected')));
}

/** Zone-era style: a plain field set in a subscription, rendered by zone-triggered change detection. */
@Component({ selector: 'test-last', template: `{{ last }}|{{ inZone }}` })
class LastMessage {
  last = 'none';
  inZone = false;
  constructor() {
    inject(MqttService)
      .topic('news/#')
      .pipe(asText())
      .subscribe((text) => {
        this.last = text;
        this.inZone = NgZone.isInAngularZone();
      });
  }
}

@Component({ selector: 'test-signal', template: `{{ value() ?? 'none' }}` })
class SignalMessage {
  readonly value = topicSignal('news/#', { pipe: asText() });
}

describe('rx-mqtt/angular with zone.js (scripted broker)', () => {
  let broker: ScriptedBroker;

  beforeEach(() => {
    broker = scriptedBroker();
    TestBed.configureTestingModule({
      providers: [provideMqtt({ url: 'mqtt://broker', options: { transport: broker.transport, keepalive: 60 } })],
    });
  });

  it('runs with zone.js', () => {
    expect(TestBed.inject(NgZone)).toBeInstanceOf(NgZone);
    expect(typeof (globalThis as { Zone?: unknown }).Zone).toBe('function');
  });

  it('delivers inside the Angular zone: a plain field re-renders by zone change detection', async () => {
    const fixture = TestBed.createComponent(LastMessage);
    fixture.autoDetectChanges();
    await subscribed(broker);
    broker.publish('news/today', 'sunny').subscribe();
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('sunny|true');
  });

  it('updates a topicSignal component', async () => {
    const fixture = TestBed.createComponent(SignalMessage);
    fixture.autoDetectChanges();
    await subscribed(broker);
    broker.publish('news/today', 'rain').subscribe();
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toBe('rain');
  });

  it('keeps the client’s socket and timers out of the zone: the app is stable while connected', async () => {
    const fixture = TestBed.createComponent(SignalMessage);
    fixture.autoDetectChanges();
    await connected(TestBed.inject(MqttService));
    await subscribed(broker);
    const zone = TestBed.inject(NgZone);
    expect(zone.hasPendingMacrotasks).toBe(false); // the keepalive timer is armed, outside the zone
    expect(await firstValueFrom(TestBed.inject(ApplicationRef).isStable.pipe(first((stable) => stable)))).toBe(true);
    await fixture.whenStable();
  });

  it('(control) a client connected inside the zone keeps it busy with its keepalive timer', async () => {
    const zone = TestBed.inject(NgZone);
    const client = zone.run(() => connect('mqtt://inside', { transport: broker.transport, keepalive: 60 }));
    await connected(client);
    expect(zone.hasPendingMacrotasks).toBe(true);
    await lastValueFrom(client.end({ force: true }), { defaultValue: undefined });
  });
});

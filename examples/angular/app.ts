import { Component, inject } from '@angular/core';
import { MqttService, stateSignal, topicSignal } from '../../src/angular/index.js';
import { asText } from '../../src/index.browser.js';

/** The whole example: the connection state, the latest message on `demo/#`, a button that publishes. */
@Component({
  selector: 'app-root',
  template: `
    <h1>rx-mqtt + Angular</h1>
    <p>Connection: <strong id="status">{{ state().status }}</strong></p>
    <p>Latest on <code>demo/#</code>: <strong id="latest">{{ latest() ?? '(nothing yet)' }}</strong></p>
    <button type="button" (click)="greet()">Publish to demo/greeting</button>
  `,
})
export class App {
  readonly state = stateSignal();
  readonly latest = topicSignal('demo/#', { pipe: asText() });
  private readonly mqtt = inject(MqttService);
  private count = 0;

  greet(): void {
    this.mqtt.publish('demo/greeting', `hello #${++this.count}`, { qos: 1 }).subscribe();
  }
}

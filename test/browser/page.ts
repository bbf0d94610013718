// The page the browser suite drives: bundled by esbuild (platform browser, rxjs and the
// rx-mqtt browser entry inside) and loaded from index.html. Its query string names the
// broker (`broker=ws://…`), the filter to subscribe to (`filter=`) and the topic the form
// publishes to (`topic=`). Every message that arrives is rendered as an <li> in
// #messages; window.rxMqttPage lets the test publish and end the client.
import { filter, lastValueFrom, map } from 'rxjs';
import { connect, type MqttMessage } from '../../src/index.browser.js';
import type { PageApi, PagePublishResult } from './page-api.js';

/** The element with `id`, which index.html must have. */
function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found as T;
}

/** Shows an error on the page (the test fails when #errors is not empty). */
function showError(error: unknown): void {
  element('errors').textContent += `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`;
}

/** Appends one received message to #messages. */
function render(message: MqttMessage, text: string): void {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.topic = message.topic;
  item.dataset.qos = String(message.qos);
  const topic = document.createElement('span');
  topic.className = 'topic';
  topic.textContent = message.topic;
  const payload = document.createElement('span');
  payload.className = 'payload';
  payload.textContent = text;
  item.append(topic, payload);
  element('messages').append(item);
}

const params = new URLSearchParams(location.search);
const broker = params.get('broker') ?? `ws://${location.hostname}:8080/mqtt`;
const subscription = params.get('filter') ?? 'browser/#';
const formTopic = params.get('topic') ?? 'browser/form';
element('broker').textContent = broker;
element('filter').textContent = subscription;

const client = connect(broker, { keepalive: 30, reconnect: { initialDelay: 200, maxDelay: 2000 } });

// #status carries the state and how many times the client got connected; #reconnects the
// last reconnect (expected when the broker drops the page); #errors only real failures.
let connections = 0;
client.state$.subscribe((state) => {
  const status = element('status');
  if (state.status === 'connected') connections += 1;
  status.dataset.status = state.status;
  status.dataset.connections = String(connections);
  status.textContent = state.status;
  if (state.status === 'reconnecting') {
    element('reconnects').textContent = `reconnecting (attempt ${state.attempt}): ${state.error.message}`;
  }
  if (state.status === 'closed' && state.error) showError(state.error);
});

// SUBACK tells the test that the subscription is live, so a publish from elsewhere is not
// lost; #subscribed counts them (one more after each reconnect without a session).
let subacks = 0;
client.packets$.pipe(filter((event) => event.direction === 'in' && event.packet.cmd === 'suback')).subscribe(() => {
  subacks += 1;
  const subscribed = element('subscribed');
  subscribed.dataset.subscribed = 'true';
  subscribed.dataset.subacks = String(subacks);
  subscribed.textContent = 'yes';
});

client.topic(subscription, { qos: 1 }).subscribe({
  next: (message) => {
    try {
      render(message, new TextDecoder('utf-8', { fatal: true }).decode(message.payload));
    } catch (error) {
      showError(error);
    }
  },
  error: showError,
});

const api: PageApi = {
  publish: (topic, text, qos) =>
    lastValueFrom(
      client.publish(topic, text, { qos }).pipe(
        map((result): PagePublishResult => ({ packetId: result.packetId, reasonCode: result.reasonCode })),
      ),
    ),
  end: () => lastValueFrom(client.end(), { defaultValue: undefined }),
};
window.rxMqttPage = api;

element<HTMLFormElement>('publish-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = element<HTMLInputElement>('payload');
  const text = input.value;
  input.value = '';
  api.publish(formTopic, text, 1).then(
    (result) => {
      element('last-result').textContent = `PUBACK for packet ${result.packetId ?? '-'}, reason ${result.reasonCode}`;
    },
    showError,
  );
});

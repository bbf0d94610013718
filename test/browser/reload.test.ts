// A page publishing a numbered stream through an IndexedDB session store is reloaded
// twice mid-stream; a Node subscriber must get every QoS 1 message at least once and every
// QoS 2 message exactly once (MQTT-4.3.2, MQTT-4.3.3, resend on resume MQTT-4.4.0-1).
//   page (reload-page.ts) ── ws ──► fault proxy ──► aedes ◄── TCP ── Node subscriber (QoS 2)
// Reload 1 is deterministic: the proxy stalls the page's connection, so the messages in
// the client's window are sent and stored but unacknowledged; the test reloads, and the
// proxy drops what it held, so those messages reach the broker only if they are resent.
// Reload 2 comes from page code, in the task that stores message RELOAD_AT (in flight by
// construction), with the broker answering meanwhile: whatever it acknowledged before the
// old page went away is, or is not, still in the store.
import type { Browser, Page } from 'playwright-core';
import { lastValueFrom, type Subscription } from 'rxjs';
import type { MqttClient } from '../../src/index.js';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { clientPool } from '../support/client-pool.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';
import { describeWithChromium } from './chromium-gate.js';
import { launchChromium } from './launch-chromium.js';
import { servePage, type PageServer } from './page-server.js';

const TOTAL = 200;
/** The client's window: what is in flight (sent, stored, unacknowledged) at reload 1. */
const MAX_INFLIGHT = 4;
/** Publishes the page keeps outstanding: the ones past MAX_INFLIGHT wait in the client's queue. */
const WINDOW = 10;
/** Reload 1 once this many messages were acknowledged in the first load. */
const STALL_AFTER = 40;
/** Reload 2 from inside putOutgoing of this message. */
const RELOAD_AT = 120;
const FENCE = 'fence';

describeWithChromium('a page reloaded mid-stream resends from its IndexedDB store (aedes over ws, MQTT 3.1.1, clean: false)', () => {
  let broker: AedesBroker | undefined;
  let proxy: FaultProxy | undefined;
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let subscription: Subscription | undefined;
  const pool = clientPool();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    broker = await startAedes();
    // A raw TCP proxy in front of aedes's WebSocket port: the page's ws:// goes through it.
    proxy = await startFaultProxy(broker.wsPort);
    server = await servePage({ entry: 'reload-page.ts', html: 'reload.html' });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    subscription?.unsubscribe();
    await pool.endAll();
    await browser?.close();
    await server?.stop();
    await proxy?.close();
    await broker?.stop();
  }, 30_000);

  /** Polls `read` in the page until `accept` holds; survives the page reloading meanwhile. */
  async function until<T>(what: string, read: () => T | Promise<T>, accept: (value: T) => boolean, ms = 15_000): Promise<T> {
    const deadline = performance.now() + ms;
    let last: T | undefined;
    while (performance.now() < deadline) {
      try {
        last = await page.evaluate(read);
        if (accept(last)) return last;
      } catch {
        // The execution context went away with a reload: read again in the new one.
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${what}: not within ${ms} ms (last seen: ${JSON.stringify(last)})`);
  }

  /** The page's status elements, as data. */
  const status = (): Record<string, string | undefined> => ({
    run: document.getElementById('run')?.dataset.run,
    restored: document.getElementById('restored')?.dataset.count,
    released: document.getElementById('restored')?.dataset.released,
    numbers: document.getElementById('restored')?.dataset.numbers,
    inflightAtReload: document.getElementById('restored')?.dataset.inflightAtReload,
    present: document.getElementById('session')?.dataset.present,
    acked: document.getElementById('progress')?.dataset.acked,
    next: document.getElementById('progress')?.dataset.next,
    done: document.getElementById('done')?.dataset.done,
    errors: document.getElementById('errors')?.textContent ?? '',
  });

  it('delivers every QoS 1 message at least once and every QoS 2 message exactly once', async () => {
    if (!broker || !proxy || !server || !browser) throw new Error('set-up failed');
    const topic = uniqueTopic('reload');
    const counts = new Map<string, number>();
    const arrivals: string[] = [];
    let fenceArrived = (): void => undefined;
    const fenced = new Promise<void>((resolve) => {
      fenceArrived = resolve;
    });

    // The subscriber is in place, at QoS 2, before the stream starts.
    const subscriber: MqttClient = pool.connect(`mqtt://127.0.0.1:${broker.port}`, { clean: true });
    await waitFor(subscriber.state$, 'connected');
    const suback = nextPacket(subscriber, 'suback');
    subscription = subscriber.topic(topic, { qos: 2 }).subscribe((message) => {
      const text = new TextDecoder().decode(message.payload);
      counts.set(text, (counts.get(text) ?? 0) + 1);
      arrivals.push(`${text}${message.dup ? '(dup)' : ''}`);
      if (text === FENCE) fenceArrived();
    });
    expect((await suback).granted).toEqual([2]);

    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    const query = new URLSearchParams({
      broker: `ws://127.0.0.1:${proxy.port}/mqtt`,
      clientId: `rxmqtt_reload_${process.pid}`,
      topic,
      db: `reload-${process.pid}`,
      total: String(TOTAL),
      maxInflight: String(MAX_INFLIGHT),
      window: String(WINDOW),
    });
    await page.goto(`${server.url}?${query}`);

    // Load 1: a fresh store; mid-stream, the network stalls.
    const first = await until('load 1 publishing', status, (s) => Number(s.acked) >= STALL_AFTER);
    expect(first).toMatchObject({ run: '1', restored: '0', errors: '' });
    proxy.stall(true);
    // The client fills its window and waits: MAX_INFLIGHT messages sent, stored, unacknowledged.
    const inFlight = await until(
      'the window full while stalled',
      () => window.rxMqttReload?.stored().outgoing.length,
      (n) => n === MAX_INFLIGHT,
    );
    expect(inFlight).toBe(MAX_INFLIGHT);

    // Reload 1.
    await page.reload();
    const second = await until('load 2 restored its store', status, (s) => s.run === '2' && s.restored !== undefined);
    // The store held exactly the window: QoS 1 and QoS 2 before PUBREC are resent as PUBLISH
    // with DUP, QoS 2 past PUBREC (when the stall caught one there) as PUBREL.
    expect(second.restored).toBe(String(MAX_INFLIGHT));
    // What the old page sent during the stall never reaches the broker: only the resend
    // from the store can deliver it. (The new page's first attempt is cut too; it retries.)
    proxy.cutAll();
    proxy.stall(false);
    const resumed = await until('load 2 connected', status, (s) => s.present !== undefined);
    // aedes kept the session (the page holds one subscription), so the resend is a DUP resend.
    expect(resumed.present).toBe('true');

    // Reload 2, from page code, in the task that stores message RELOAD_AT.
    await until('load 2 publishing', status, (s) => Number(s.next) > 60);
    await page.evaluate((n) => window.rxMqttReload?.reloadWhenStored(n), RELOAD_AT);
    const third = await until('load 3 restored its store', status, (s) => s.run === '3' && s.restored !== undefined);
    // Message RELOAD_AT was in flight when location.reload() was called.
    expect(Number(third.inflightAtReload)).toBeGreaterThanOrEqual(1);

    // Load 3 finishes the stream: every message acknowledged, the restored ones included.
    const last = await until('load 3 done', status, (s) => s.done === 'true', 30_000);
    expect(last.present).toBe('true');
    expect(last.errors).toBe('');

    // A QoS 2 fence from the subscriber itself: once it is back, every earlier delivery is in.
    await Promise.all([lastValueFrom(subscriber.publish(topic, FENCE, { qos: 2 })), fenced]);
    const missing: number[] = [];
    const duplicatedAtQos2: number[] = [];
    let duplicatedAtQos1 = 0;
    for (let n = 0; n < TOTAL; n++) {
      const count = counts.get(String(n)) ?? 0;
      if (count === 0) missing.push(n);
      else if (count > 1 && n % 2 === 1) duplicatedAtQos2.push(n);
      else if (count > 1) duplicatedAtQos1++;
    }
    if (process.env.RELOAD_TRACE) {
      process.stdout.write(`missing ${missing}; QoS 2 duplicates ${duplicatedAtQos2}\n`);
      if (duplicatedAtQos2.length > 0) process.stdout.write(`arrivals ${arrivals.join(' ')}\n`);
      process.stdout.write(`reload 1 left ${second.numbers} (${second.released} past PUBREC); reload 2 left ${third.numbers} (${third.released} past PUBREC, ${third.inflightAtReload} in flight at reload()); QoS 1 duplicates ${duplicatedAtQos1}\n`);
    }
    expect(missing).toEqual([]);
    // Exactly once at QoS 2, the task of reload 2 included: the IndexedDB store commits a
    // task's writes at its end and the reload aborts that commit, but the client sent
    // nothing of that task (packets wait for the store's writes, SessionStore.whenWritten).
    // Before that rule, a queued message moved into flight in that task reached the broker
    // while still "queued" in the store, and the next load sent it again (1 run in 6-24).
    expect(duplicatedAtQos2).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

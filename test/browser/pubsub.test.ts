import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { firstValueFrom, filter, lastValueFrom, timeout } from 'rxjs';
import { asText, connect, type MqttClient } from '../../src/index.js';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { describeWithChromium } from './chromium-gate.js';
import { launchChromium } from './launch-chromium.js';
import type { PagePublishResult } from './page-api.js';
import { servePage, type PageServer } from './page-server.js';

/** Where the screenshot goes (gitignored). */
const screenshotPath = join(__dirname, '..', '..', '.tmp', 'browser-page.png');

/** Whether `mosquitto_pub` (Debian `mosquitto-clients`) is on PATH; CI installs it. */
const mosquittoPubAvailable = spawnSync('mosquitto_pub', ['--help'], { stdio: 'ignore' }).error === undefined;

/** Runs `mosquitto_pub` to its end, bounded by a timeout. */
function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (error) => (error ? reject(error) : resolve()));
  });
}

describeWithChromium('rx-mqtt in headless Chromium (browser entry, global WebSocket, aedes over ws)', () => {
  let broker: AedesBroker | undefined;
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let nodeClient: MqttClient | undefined;
  const pageErrors: string[] = [];

  /** Texts of the messages the page rendered so far, as `topic payload`. */
  const rendered = (): Promise<string[]> =>
    page.$$eval('#messages li', (items) =>
      items.map((item) => `${item.querySelector('.topic')?.textContent} ${item.querySelector('.payload')?.textContent}`),
    );

  /** Waits until the page shows a message with this topic and payload. */
  const waitForMessage = (topic: string, payload: string): Promise<unknown> =>
    page.waitForFunction(
      ([t, p]) =>
        [...document.querySelectorAll('#messages li')].some(
          (item) => item.querySelector('.topic')?.textContent === t && item.querySelector('.payload')?.textContent === p,
        ),
      [topic, payload] as const,
      { timeout: 10_000 },
    );

  beforeAll(async () => {
    broker = await startAedes();
    server = await servePage();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    const query = new URLSearchParams({
      broker: `ws://127.0.0.1:${broker.wsPort}/mqtt`,
      filter: 'browser/test/#',
      topic: 'browser/test/form',
    });
    await page.goto(`${server.url}?${query}`);
    await page.waitForSelector('#status[data-status="connected"]');
    await page.waitForSelector('#subscribed[data-subscribed="true"]');
    nodeClient = connect(`mqtt://127.0.0.1:${broker.port}`, {
      reconnect: { initialDelay: 100, maxDelay: 500 },
      connectTimeout: 10_000,
    });
  }, 60_000);

  afterAll(async () => {
    if (nodeClient) await lastValueFrom(nodeClient.end({ force: true }), { defaultValue: undefined });
    await browser?.close();
    await server?.stop();
    await broker?.stop();
  }, 30_000);

  it('loads the bundled page, which connects over the global WebSocket and subscribes', async () => {
    expect(await page.textContent('#status')).toBe('connected');
    expect(await page.textContent('#broker')).toBe(`ws://127.0.0.1:${broker?.wsPort}/mqtt`);
    expect(pageErrors).toEqual([]);
  });

  it('renders a message the page published itself with QoS 1 through the form (PUBACK shown)', async () => {
    await page.fill('#payload', 'hello from the form');
    await page.click('#publish');
    await waitForMessage('browser/test/form', 'hello from the form');
    await page.waitForFunction(() => document.querySelector('#last-result')?.textContent?.startsWith('PUBACK'));
    expect(await page.textContent('#last-result')).toMatch(/^PUBACK for packet \d+, reason 0$/);
  }, 30_000);

  it('publishes QoS 1 from page code: resolves with a packet id once acknowledged, and the page renders it', async () => {
    const result = await page.evaluate(
      (): Promise<PagePublishResult> => {
        const api = window.rxMqttPage;
        if (api === undefined) throw new Error('window.rxMqttPage is missing');
        return api.publish('browser/test/api', 'hello from page code', 1);
      },
    );
    expect(result).toEqual({ packetId: expect.any(Number), reasonCode: 0 });
    await waitForMessage('browser/test/api', 'hello from page code');
  }, 30_000);

  it('delivers what the page publishes to a Node client over TCP (the same aedes)', async () => {
    if (!nodeClient) throw new Error('no Node client');
    const received = firstValueFrom(nodeClient.topic('browser/to-node', { qos: 1 }).pipe(asText(), timeout(10_000)));
    await firstValueFrom(
      nodeClient.packets$.pipe(
        filter((event) => event.direction === 'in' && event.packet.cmd === 'suback'),
        timeout(10_000),
      ),
    );
    await page.evaluate(() => window.rxMqttPage?.publish('browser/to-node', 'page to node', 1));
    expect(await received).toBe('page to node');
  }, 30_000);

  it('renders a QoS 1 message published by a Node client over TCP', async () => {
    if (!nodeClient) throw new Error('no Node client');
    const result = await lastValueFrom(
      nodeClient.publish('browser/test/node', 'hello from node', { qos: 1 }).pipe(timeout(10_000)),
    );
    expect(result.reasonCode).toBe(0);
    await waitForMessage('browser/test/node', 'hello from node');
  }, 30_000);

  (mosquittoPubAvailable || process.env.CI ? it : it.skip)(
    'renders a QoS 1 message published by mosquitto_pub over TCP (a foreign peer)',
    async () => {
      const port = String(broker?.port);
      await mosquittoPub(['-h', '127.0.0.1', '-p', port, '-t', 'browser/test/mosquitto', '-m', 'hello from mosquitto_pub', '-q', '1']);
      await waitForMessage('browser/test/mosquitto', 'hello from mosquitto_pub');
    },
    30_000,
  );

  it('renders 50 QoS 2 messages published from the page, in order', async () => {
    const results = await page.evaluate(async () => {
      const api = window.rxMqttPage;
      if (api === undefined) throw new Error('window.rxMqttPage is missing');
      return Promise.all(Array.from({ length: 50 }, (_, i) => api.publish('browser/test/burst', `burst ${i}`, 2)));
    });
    expect(results.every((r) => r.reasonCode === 0 && typeof r.packetId === 'number')).toBe(true);
    await waitForMessage('browser/test/burst', 'burst 49');
    const burst = (await rendered()).filter((line) => line.startsWith('browser/test/burst '));
    expect(burst).toEqual(Array.from({ length: 50 }, (_, i) => `browser/test/burst burst ${i}`));
  }, 30_000);

  it('reconnects after the broker drops its WebSocket, subscribes again, and sends a publish queued meanwhile', async () => {
    if (!broker || !nodeClient) throw new Error('no broker');
    const before = Number(await page.getAttribute('#subscribed', 'data-subacks'));
    await broker.dropClients();
    await page.waitForSelector('#status[data-status="reconnecting"]');
    // Published while the page is offline: waits in the offline queue, goes out once connected.
    const queued = page.evaluate(() => window.rxMqttPage?.publish('browser/test/queued', 'sent while offline', 1));
    await page.waitForSelector('#status[data-status="connected"][data-connections="2"]');
    await page.waitForSelector(`#subscribed[data-subacks="${before + 1}"]`);
    expect(await queued).toEqual({ packetId: expect.any(Number), reasonCode: 0 });
    // The client subscribes again before it sends its queue, so the page gets its own message.
    await waitForMessage('browser/test/queued', 'sent while offline');
    await lastValueFrom(nodeClient.publish('browser/test/node', 'after the reconnect', { qos: 1 }).pipe(timeout(10_000)));
    await waitForMessage('browser/test/node', 'after the reconnect');
    expect(await page.textContent('#reconnects')).toMatch(/^reconnecting \(attempt 1\)/);
  }, 30_000);

  it('renders the page (screenshot) with no page errors', async () => {
    mkdirSync(join(screenshotPath, '..'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(statSync(screenshotPath).size).toBeGreaterThan(1000);
    expect(await page.textContent('#errors')).toBe('');
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('ends the page client cleanly: status closed', async () => {
    await page.evaluate(() => window.rxMqttPage?.end());
    await page.waitForSelector('#status[data-status="closed"]');
    expect(await page.textContent('#errors')).toBe('');
  }, 30_000);
});

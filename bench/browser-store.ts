/**
 * What write-ahead costs in the browser: publishing from a page in headless Chromium to
 * aedes over WebSocket on loopback, through three session stores:
 *  - `memory`: `memoryStore()`, the baseline;
 *  - `indexeddb`: `openIndexedDbStore(name)` as is: the client holds every packet until
 *    the IndexedDB transactions started before it have committed (`whenWritten`);
 *  - `indexeddb-no-write-ahead`: the same store behind a plain object that forwards every
 *    call but `whenWritten`, so packets leave at once (what the store cost before
 *    write-ahead).
 *
 *   npm run bench:browser                       # 2000 × 64 B per run, median of 3 rounds
 *   npm run bench:browser -- --smoke            # a few seconds, to check it works
 *   npm run bench:browser -- --messages 5000 --rounds 5
 *
 * Cases: QoS 1 with 1 publish outstanding (each publish waits for the previous one's
 * PUBACK: the latency case, half the messages of the others), QoS 1 and QoS 2 with 100
 * outstanding (throughput). The client keeps its defaults (MQTT 3.1.1, maxInflight 20:
 * of 100 outstanding publishes, 80 wait in its queue, stored too), clean session. Per
 * case one unmeasured warm-up run per store (a quarter of the messages), then `--rounds`
 * rounds, each running every store once in a rotating order; every run connects a fresh
 * client with a fresh database (deleted after). msgs/s = messages / (first publish() →
 * last completion), timed in the page; latency = the median of publish() → its
 * completion (PUBACK/PUBCOMP) over a run, shown for 1 outstanding only (with 100 it is
 * mostly queueing). Figures are medians over the rounds, with the slowest and fastest
 * round beside msgs/s. Prints numbers only; asserts nothing.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startAedes, type AedesBroker } from '../test/support/aedes.js';
import { launchChromium } from '../test/browser/launch-chromium.js';
import { servePage, type PageServer } from '../test/browser/page-server.js';
import type { BenchStore, StoreRunResult, StoreRunSpec } from './browser/store-page-api.js';
import { median } from './support/stats.js';
import { count, fixed, millis, renderTable } from './support/table.js';

const STORES: readonly BenchStore[] = ['memory', 'indexeddb', 'indexeddb-no-write-ahead'];
/** `share`: the part of `--messages` a run of the case publishes. */
const CASES: readonly { qos: 1 | 2; outstanding: number; share: number }[] = [
  { qos: 1, outstanding: 1, share: 0.5 },
  { qos: 1, outstanding: 100, share: 1 },
  { qos: 2, outstanding: 100, share: 1 },
];
const SIZE = 64;
/** A run that takes longer than this has hung: the bench stops. */
const RUN_TIMEOUT_MS = 60_000;

interface Args {
  messages: number;
  rounds: number;
}

function parseArgs(argv: readonly string[]): Args {
  const smoke = argv.includes('--smoke');
  const value = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const n = Number(argv[at + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    return n;
  };
  return { messages: value('--messages', smoke ? 200 : 2000), rounds: value('--rounds', smoke ? 1 : 3) };
}

/** @returns how many messages a run publishes: `share` of `--messages`, a quarter of that to warm up. */
function messagesOf(args: Args, share: number, warmUp: boolean): number {
  return Math.max(50, Math.round((args.messages * share) / (warmUp ? 4 : 1)));
}

/** @returns the 1, 5 and 15 minute load averages. */
function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); }),
  ]);
}

let runs = 0;

/** One run in the page: a fresh client, and for the IndexedDB stores a fresh database. */
function runOnce(
  page: Page, broker: AedesBroker, store: BenchStore, qos: 1 | 2, outstanding: number, messages: number,
): Promise<StoreRunResult> {
  const n = ++runs;
  const spec: StoreRunSpec = {
    broker: `ws://127.0.0.1:${broker.wsPort}/mqtt`,
    store,
    database: `rx-mqtt-bench-${process.pid}-${n}`,
    clientId: `rxmqtt_bench_${process.pid}_${n}`,
    topic: `bench/browser-store/${n}`,
    qos,
    messages,
    size: SIZE,
    outstanding,
  };
  const run = page.evaluate((s) => {
    const api = window.rxMqttStoreBench;
    if (api === undefined) throw new Error('store-page.ts did not load');
    return api.run(s);
  }, spec);
  return withTimeout(run, RUN_TIMEOUT_MS, `${store} QoS ${qos} × ${outstanding} outstanding`);
}

interface CaseStats {
  msgsPerSec: number;
  slowest: number;
  fastest: number;
  latencyMs: number;
}

function caseTitle(qos: 1 | 2, outstanding: number, messages: number): string {
  return `QoS ${qos}, ${outstanding} outstanding, ${count(messages)} msgs`;
}

/** Everything the bench started, stopped in reverse order; idempotent, never throws. */
function stopper(): { add(stop: () => Promise<unknown>): void; stopAll(): Promise<void> } {
  const stops: (() => Promise<unknown>)[] = [];
  return {
    add: (stop) => { stops.push(stop); },
    async stopAll() {
      while (stops.length > 0) {
        const stop = stops.pop() as () => Promise<unknown>;
        await withTimeout(stop(), 10_000, 'stopping').catch((error: Error) => process.stderr.write(`${error.message}\n`));
      }
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = stopper();
  const onSignal = (signal: NodeJS.Signals): void => {
    void started.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const broker = await startAedes();
    started.add(() => broker.stop());
    const server: PageServer = await servePage({
      entry: join(__dirname, 'browser', 'store-page.ts'),
      html: join(__dirname, 'browser', 'store.html'),
    });
    started.add(() => server.stop());
    const browser: Browser = await launchChromium();
    started.add(() => browser.close());
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    const browserCores = await page.evaluate(() => navigator.hardwareConcurrency);

    console.log(
      `Chromium ${browser.version()} (headless), node ${process.version}, aedes over ws on 127.0.0.1, ` +
        `${cpus().length} CPUs (browser sees ${browserCores}), load average ${loadAverage()}`,
    );
    console.log(
      `MQTT 3.1.1, clean session, maxInflight 20 (default), ${SIZE} B payload, ` +
        `1 warm-up (a quarter of the messages) + median of ${args.rounds} round(s) per case`,
    );
    console.log();

    const stats = new Map<string, CaseStats>();
    const key = (store: BenchStore, qos: number, outstanding: number): string => `${store}/${qos}/${outstanding}`;
    for (const { qos, outstanding, share } of CASES) {
      const measured = messagesOf(args, share, false);
      process.stderr.write(`${caseTitle(qos, outstanding, measured)}\n`);
      const results = new Map<BenchStore, StoreRunResult[]>(STORES.map((s) => [s, []]));
      for (let round = -1; round < args.rounds; round++) {
        const shift = Math.max(0, round) % STORES.length;
        for (const store of [...STORES.slice(shift), ...STORES.slice(0, shift)]) {
          const messages = messagesOf(args, share, round < 0);
          const result = await runOnce(page, broker, store, qos, outstanding, messages);
          const perSec = (messages / result.elapsedMs) * 1000;
          process.stderr.write(`  ${round < 0 ? 'warm-up' : `round ${round + 1}`} ${store}: ${count(perSec)} msgs/s, ` +
            `latency p50 ${millis(result.latencyMedianMs)} ms\n`);
          if (round >= 0) results.get(store)?.push(result);
        }
      }
      for (const store of STORES) {
        const perSec = (results.get(store) ?? []).map((r) => (measured / r.elapsedMs) * 1000);
        stats.set(key(store, qos, outstanding), {
          msgsPerSec: median(perSec),
          slowest: Math.min(...perSec),
          fastest: Math.max(...perSec),
          latencyMs: outstanding === 1 ? median((results.get(store) ?? []).map((r) => r.latencyMedianMs)) : NaN,
        });
      }
    }
    if (pageErrors.length > 0) process.stderr.write(`page errors:\n${pageErrors.join('\n')}\n`);

    const rows: string[][] = [];
    const ratios: string[][] = [];
    for (const { qos, outstanding, share } of CASES) {
      const title = caseTitle(qos, outstanding, messagesOf(args, share, false));
      const get = (store: BenchStore): CaseStats => stats.get(key(store, qos, outstanding)) as CaseStats;
      for (const store of STORES) {
        const s = get(store);
        rows.push([title, store, count(s.msgsPerSec), `${count(s.slowest)}–${count(s.fastest)}`, millis(s.latencyMs)]);
      }
      const on = get('indexeddb');
      const off = get('indexeddb-no-write-ahead');
      const memory = get('memory');
      ratios.push([
        title,
        fixed(on.msgsPerSec / off.msgsPerSec, 2),
        fixed(on.msgsPerSec / memory.msgsPerSec, 2),
        fixed(on.latencyMs / off.latencyMs, 2),
        fixed(on.latencyMs / memory.latencyMs, 2),
      ]);
    }
    console.log(renderTable(['case', 'store', 'msgs/s', 'rounds', 'latency p50 ms'], rows, ['l', 'l', 'r', 'r', 'r']));
    console.log();
    console.log('indexeddb (write-ahead on) against indexeddb-no-write-ahead (off) and memory:');
    console.log(renderTable(['case', 'msgs/s on/off', 'msgs/s on/memory', 'p50 on/off', 'p50 on/memory'], ratios));
    console.log();
    console.log(`load average at the end ${loadAverage()} (other work on the machine skews the figures)`);
  } finally {
    await started.stopAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

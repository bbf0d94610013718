/**
 * End-to-end benchmark: rx-mqtt vs MQTT.js vs a raw-socket ceiling, through a private
 * Mosquitto started here (generated config, free 127.0.0.1 port, stopped by PID).
 *
 *   npm run bench:e2e                      # full table: QoS 0/1/2 × 64 B/4 KiB, 5 rounds
 *   npm run bench:e2e -- --smoke           # seconds-long CI-friendly pass
 *   npm run bench:e2e -- --only rx-mqtt,mqttjs --qos 1 --size 64 --rounds 3
 *   npm run bench:e2e -- --help            # every option
 *
 * Each row (QoS × payload size) runs, per client, one unmeasured warm-up and then
 * `--rounds` rounds; every round runs every client once, starting with a different
 * client each round, so drift hits all of them alike. Per run a fresh publisher and
 * subscriber connection pair (both in this process) is opened and subscribed, a probe
 * message confirms the subscription, then:
 *  - burst run: N messages (per-row default, `--messages`, `--scale`) published as fast
 *    as the client completes them, at most `--window` (100) outstanding for EVERY
 *    client (completion = the client's own signal: QoS 0 written/accepted by the
 *    socket — MQTT.js waits for 'drain' when its socket buffer is full —, QoS 1 PUBACK,
 *    QoS 2 PUBCOMP), and at most `--window` issued per event-loop turn before yielding.
 *    rx-mqtt keeps its default maxInflight (20 on MQTT 3.1.1) and queues the rest of the
 *    100 itself; MQTT.js has no window and puts all 100 on the wire (see
 *    `--rx-inflight`). msgs/s = messages received / (first publish → last arrival);
 *    CPU µs/msg = process.cpuUsage() over that span / messages (both clients of the pair
 *    live in this process; Mosquitto's CPU is reported separately from /proc).
 *    QoS 0 has no ack to pace it, so by default the bench also keeps at most
 *    `--qos0-window` (1000) QoS 0 messages published but not yet received: an open-loop
 *    flood (`--qos0-window 0`) only measures how Mosquitto copes with a growing backlog
 *    — bimodal, N-dependent results (60k vs 120k msgs/s between rounds) on a 2-core box.
 *    Messages can still be lost: once everything is published the run ends when nothing
 *    arrived for `--idle-ms` and the loss is reported. Latency under load (p50/p99) is
 *    taken from the stamps of this run, so it is mostly queueing.
 *  - paced run: `--paced` (1000) messages, one at a time — the next is published
 *    `--paced-interval` (1) ms after the previous one arrived and completed — so no
 *    queue builds anywhere: this is the latency to quote.
 * Every payload carries its send time (performance.now(), float64), sequence number and
 * run id in its first 16 bytes; latency = arrival − send time, same clock.
 *
 * Clients: rx-mqtt with its defaults (noDelay on); MQTT.js 5 with its defaults (Nagle on;
 * it has no noDelay option) and `mqttjs-nodelay`, the same with setNoDelay(true) on its
 * socket; `raw`, pre-encoded frames on a bare socket (see bench/support/raw-driver.ts).
 *
 * Profiling (writes a .cpuprofile into the current directory), then summarising it:
 *   node --cpu-prof --import tsx bench/e2e.ts --only rx-mqtt --qos 1 --size 64 --no-warmup
 *   node --import tsx bench/profile-summary.ts CPU.*.cpuprofile [--top 30]
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type BenchArgs, parseArgs } from './support/args.js';
import { processCpuUs } from './support/broker-cpu.js';
import type { Driver, PairSpec, QoS } from './support/driver.js';
import { startMosquitto, type MosquittoBroker } from '../test/support/mosquitto.js';
import { mqttjsDriver } from './support/mqttjs-driver.js';
import { rawDriver } from './support/raw-driver.js';
import { Receiver } from './support/receiver.js';
import { awaitReady, burstRun, pacedRun, type BurstResult, type PacedResult } from './support/runs.js';
import { median } from './support/stats.js';
import { count, fixed, millis, renderTable } from './support/table.js';

/** Default burst size per row: about 1–2 s for MQTT.js on a 2-core VM. */
function defaultMessages(qos: QoS, size: number): number {
  const small = size <= 1024;
  if (qos === 0) return small ? 150_000 : 60_000;
  if (qos === 1) return small ? 60_000 : 30_000;
  return small ? 25_000 : 12_000;
}

interface RunResult {
  burst: BurstResult;
  paced: PacedResult | undefined;
  brokerCpuUs: number;
}

interface RowStats {
  client: string;
  runs: number;
  failures: number;
  msgsPerSec: number;
  cpuUsPerMsg: number;
  brokerUsPerMsg: number;
  lossPct: number;
  loadP50: number;
  loadP99: number;
  pacedP50: number;
  pacedP99: number;
}

const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? () => { (gc as () => void)(); } : () => undefined;
})();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out`)), ms); }),
  ]);
}

async function runOnce(
  driver: Driver, spec: PairSpec, broker: MosquittoBroker, messages: number, paced: number, args: BenchArgs,
): Promise<RunResult> {
  const receiver = new Receiver();
  const pair = await withTimeout(driver.open(spec, receiver.onMessage), 10_000, `${driver.name} open`);
  try {
    await awaitReady(pair, receiver);
    collectGarbage();
    const broker0 = processCpuUs(broker.pid);
    const burst = await burstRun(pair, receiver, {
      count: messages, window: args.window, idleMs: args.idleMs, inTransit: spec.qos === 0 ? args.qos0InTransit : 0,
    });
    const brokerCpuUs = processCpuUs(broker.pid) - broker0;
    const pacedResult = paced > 0 ? await pacedRun(pair, receiver, paced, args.pacedIntervalMs) : undefined;
    return { burst, paced: pacedResult, brokerCpuUs };
  } finally {
    await withTimeout(pair.close(), 5000, `${driver.name} close`).catch((e: Error) => process.stderr.write(`  ${e.message}\n`));
  }
}

function summarise(client: string, results: readonly RunResult[], failures: number): RowStats {
  const published = results.reduce((s, r) => s + r.burst.published, 0);
  const received = results.reduce((s, r) => s + r.burst.received, 0);
  return {
    client,
    runs: results.length,
    failures,
    msgsPerSec: median(results.map((r) => (r.burst.received / r.burst.elapsedMs) * 1000)),
    cpuUsPerMsg: median(results.map((r) => r.burst.cpuUs / r.burst.received)),
    brokerUsPerMsg: median(results.map((r) => r.brokerCpuUs / r.burst.received)),
    lossPct: published > 0 ? ((published - received) / published) * 100 : NaN,
    loadP50: median(results.map((r) => r.burst.p50)),
    loadP99: median(results.map((r) => r.burst.p99)),
    pacedP50: median(results.map((r) => r.paced?.p50 ?? NaN)),
    pacedP99: median(results.map((r) => r.paced?.p99 ?? NaN)),
  };
}

function rowTable(title: string, stats: readonly RowStats[]): string {
  const base = stats.find((s) => s.client === 'mqttjs')?.msgsPerSec ?? NaN;
  const raw = stats.find((s) => s.client === 'raw')?.msgsPerSec ?? NaN;
  const rows = stats.map((s) => [
    s.failures > 0 ? `${s.client} (${s.failures} failed)` : s.client,
    count(s.msgsPerSec),
    fixed(s.msgsPerSec / base, 2),
    fixed(s.msgsPerSec / raw, 2),
    fixed(s.cpuUsPerMsg, 2),
    fixed(s.brokerUsPerMsg, 2),
    s.lossPct > 0 ? `${fixed(s.lossPct, 2)}%` : s.lossPct === 0 ? '0' : '—',
    millis(s.loadP50),
    millis(s.loadP99),
    millis(s.pacedP50),
    millis(s.pacedP99),
  ]);
  return `${title}\n${renderTable(
    ['client', 'msgs/s', '×mqttjs', '×raw', 'CPU µs/msg', 'broker µs/msg', 'loss', 'load p50 ms', 'load p99 ms', 'paced p50 ms', 'paced p99 ms'],
    rows,
  )}`;
}

async function loadDrivers(args: BenchArgs): Promise<Driver[]> {
  const drivers: Driver[] = [];
  for (const name of args.clients) {
    if (name === 'rx-mqtt') {
      try {
        const { rxDriver, rxAvailable } = await import('./support/rx-driver.js');
        if (!rxAvailable) throw new Error('src/index.ts does not export connect yet');
        const inflight = args.rxInflight !== undefined ? { maxInflight: args.rxInflight } : {};
        drivers.push(rxDriver(inflight));
        if (args.rxBatch) drivers.push(rxDriver({ ...inflight, batch: true }));
      } catch (error) {
        process.stderr.write(`rx-mqtt skipped: ${(error as Error).message.split('\n')[0]}\n`);
      }
    } else if (name === 'mqttjs') drivers.push(mqttjsDriver());
    else if (name === 'mqttjs-nodelay') drivers.push(mqttjsDriver({ noDelay: true }));
    else drivers.push(rawDriver());
  }
  return drivers;
}

function environment(args: BenchArgs, broker: MosquittoBroker): string {
  const require = createRequire(__filename);
  const mqttVersion = (require('mqtt/package.json') as { version: string }).version;
  let mosquitto = 'mosquitto';
  try {
    mosquitto = execFileSync('mosquitto', ['-h'], { encoding: 'utf8' }).split('\n')[0] ?? mosquitto;
  } catch (error) {
    mosquitto = ((error as { stdout?: string }).stdout ?? '').split('\n')[0] || mosquitto;
  }
  return [
    `node ${process.version}, MQTT.js ${mqttVersion}, ${mosquitto.trim()} (pid ${broker.pid}, port ${broker.port}` +
      `${args.brokerNoDelay ? ', set_tcp_nodelay' : ''}), ${require('node:os').cpus().length} CPUs`,
    `MQTT ${args.protocolVersion === 5 ? '5' : '3.1.1'}, ${args.rounds} round(s) + ${args.warmup ? '1 warm-up' : 'no warm-up'}, ` +
      `window ${args.window}, QoS 0 ${args.qos0InTransit > 0 ? `≤ ${args.qos0InTransit} in transit` : 'flood'}, paced ${args.paced} × (arrival + ${args.pacedIntervalMs} ms), QoS 0 idle cut-off ${args.idleMs} ms`,
  ].join('\n');
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const drivers = await loadDrivers(args);
  const broker = await startMosquitto({ unlimited: true, extraConfig: [`set_tcp_nodelay ${args.brokerNoDelay}`] });
  const killBroker = (): void => { try { process.kill(broker.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.once('exit', killBroker);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { killBroker(); process.exit(signal === 'SIGINT' ? 130 : 143); });
  }
  const tables: string[] = [];
  try {
    console.log(environment(args, broker));
    console.log();
    for (const qos of args.qos) {
      for (const size of args.sizes) {
        const messages = args.messages ?? Math.max(10, Math.round(defaultMessages(qos, size) * args.scale));
        const spec: Omit<PairSpec, 'frames'> = {
          port: broker.port, topic: `bench/e2e/q${qos}/s${size}`, qos, size, protocolVersion: args.protocolVersion,
        };
        const frames = Math.max(messages, args.paced, 1);
        const results = new Map<string, RunResult[]>(drivers.map((d) => [d.name, []]));
        const failures = new Map<string, number>(drivers.map((d) => [d.name, 0]));
        const title = `QoS ${qos}, ${size >= 1024 ? `${size / 1024} KiB` : `${size} B`} payload, ` +
          `${count(messages)} messages per burst run, median of ${args.rounds}`;
        process.stderr.write(`${title}\n`);
        for (let round = args.warmup ? -1 : 0; round < args.rounds; round++) {
          const shift = Math.max(0, round) % drivers.length;
          for (const driver of [...drivers.slice(shift), ...drivers.slice(0, shift)]) {
            const warm = round < 0;
            try {
              const result = await runOnce(
                driver, { ...spec, frames }, broker,
                warm ? Math.max(10, Math.round(messages / 5)) : messages, warm ? 0 : args.paced, args,
              );
              const b = result.burst;
              process.stderr.write(`  ${warm ? 'warm-up' : `round ${round + 1}`} ${driver.name}: ` +
                `${count((b.received / b.elapsedMs) * 1000)} msgs/s, ${fixed(b.cpuUs / b.received, 2)} µs/msg ` +
                `(sys ${fixed(b.cpuSysUs / b.received, 2)}), broker ${fixed(result.brokerCpuUs / b.received, 2)} µs/msg` +
                `${b.received < b.published ? `, lost ${b.published - b.received}` : ''}` +
                `${result.paced !== undefined ? `, paced p50/p99 ${millis(result.paced.p50)}/${millis(result.paced.p99)} ms` : ''}\n`);
              if (!warm) results.get(driver.name)?.push(result);
            } catch (error) {
              process.stderr.write(`  ${warm ? 'warm-up' : `round ${round + 1}`} ${driver.name}: FAILED ${(error as Error).message}\n`);
              if (!warm) failures.set(driver.name, (failures.get(driver.name) ?? 0) + 1);
            }
          }
        }
        const table = rowTable(title, drivers.map((d) => summarise(d.name, results.get(d.name) ?? [], failures.get(d.name) ?? 0)));
        tables.push(table);
        process.stderr.write('\n');
      }
    }
    console.log(tables.join('\n\n'));
  } finally {
    await broker.stop();
    process.removeListener('exit', killBroker);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

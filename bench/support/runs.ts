/** The three things the benchmark does with an open pair: wait until ready, a burst run, a paced run. */
import type { Pair } from './driver.js';
import { PROBE_RUN } from './payload.js';
import type { Receiver } from './receiver.js';
import { percentiles } from './stats.js';

let lastRun = PROBE_RUN;
const nextRun = (): number => ++lastRun;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes probes (one every 100 ms) until one reaches the subscriber and the last
 * one has completed, so the subscription is known to be active and no probe flow is
 * left over when timing starts.
 * @param pair the open pair
 * @param receiver its subscriber bookkeeping
 * @param timeoutMs give up after this long
 */
export async function awaitReady(pair: Pair, receiver: Receiver, timeoutMs = 10_000): Promise<void> {
  receiver.start(nextRun(), 0);
  const deadline = performance.now() + timeoutMs;
  let lastProbeDone = false;
  while (!receiver.probeSeen || !lastProbeDone) {
    if (performance.now() > deadline) throw new Error('subscription never delivered a probe');
    if (!receiver.probeSeen) {
      lastProbeDone = false;
      pair.publish(0, PROBE_RUN, () => { lastProbeDone = true; });
      pair.flush();
    }
    await sleep(receiver.probeSeen ? 10 : 100);
  }
}

/** Outcome of one burst run. */
export interface BurstResult {
  published: number;
  received: number;
  duplicates: number;
  /** From the first publish to the last arrival (or last completion, if later), ms. */
  elapsedMs: number;
  /** Bench-process CPU (user + system) over the same span, µs. */
  cpuUs: number;
  /** The system (kernel) part of {@link BurstResult.cpuUs}, µs. */
  cpuSysUs: number;
  /** Latency percentiles of the arrivals, ms. */
  p50: number;
  p99: number;
}

/** Settings of a burst run. */
export interface BurstOptions {
  /** Messages to publish. */
  count: number;
  /** Most publishes outstanding (issued, not yet reported done) at once; also the most issued per event-loop turn. */
  window: number;
  /** Once all publishes completed: stop waiting for stragglers after this long without an arrival, ms. */
  idleMs: number;
  /** Before that: fail the run after this long without any arrival or completion, ms. */
  stallMs?: number;
  /**
   * Also keep at most this many messages published but not yet received (end-to-end
   * flow control, for QoS 0, which has no ack to pace it); 0: no such bound.
   */
  inTransit?: number;
}

/**
 * Publishes `count` messages as fast as the client completes them, keeping at most
 * `window` outstanding (and, with `inTransit`, at most that many not yet received) and
 * issuing at most `window` per event-loop turn (then yielding with setImmediate, so the
 * subscriber's socket gets read in between), and waits until the subscriber has them
 * all — or until nothing arrived for `idleMs` after the last completion (QoS 0 loss).
 * @param pair the open pair
 * @param receiver its subscriber bookkeeping
 * @param options count, window, idle limit
 * @returns throughput inputs and latency percentiles
 */
export function burstRun(pair: Pair, receiver: Receiver, options: BurstOptions): Promise<BurstResult> {
  const { count, window, idleMs, stallMs = 10_000 } = options;
  const inTransit = options.inTransit !== undefined && options.inTransit > 0 ? options.inTransit : Infinity;
  const run = nextRun();
  receiver.start(run, count);
  return new Promise<BurstResult>((resolve, reject) => {
    let issued = 0;
    let completed = 0;
    let pumping = false;
    let pumpQueued = false;
    let finished = false;
    let lastCompleteAt = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const finish = (endAt: number): void => {
      if (finished) return;
      finished = true;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(watchdog);
      receiver.onArrival = () => undefined;
      const [p50, p99] = percentiles(receiver.latencies, receiver.count, [50, 99]);
      resolve({
        published: issued, received: receiver.count, duplicates: receiver.duplicates,
        elapsedMs: endAt - t0, cpuUs: cpu.user + cpu.system, cpuSysUs: cpu.system, p50: p50 as number, p99: p99 as number,
      });
    };
    const check = (): void => {
      if (receiver.count >= count && completed >= count) finish(Math.max(receiver.lastAt, lastCompleteAt));
    };
    const pump = (): void => {
      pumpQueued = false;
      if (finished) return;
      pumping = true;
      let batch = 0;
      while (issued - completed < window && issued - receiver.count < inTransit && issued < count && batch < window) {
        batch++;
        pair.publish(issued++, run, done);
      }
      pair.flush();
      pumping = false;
      if (issued < count && issued - completed < window && issued - receiver.count < inTransit && !pumpQueued) {
        pumpQueued = true;
        setImmediate(pump);
      }
      check();
    };
    const done = (): void => {
      completed++;
      lastCompleteAt = performance.now();
      if (pumping || pumpQueued) return;
      if (issued < count) {
        pumpQueued = true;
        queueMicrotask(pump);
      } else {
        check();
      }
    };
    receiver.onArrival = inTransit === Infinity ? check : (): void => {
      if (!pumping && !pumpQueued && issued < count && issued - receiver.count < inTransit) {
        pumpQueued = true;
        queueMicrotask(pump);
      }
      check();
    };
    const watchdog = setInterval(() => {
      const now = performance.now();
      const quietSince = Math.max(receiver.lastAt, lastCompleteAt, t0);
      if (issued >= count && completed >= count) {
        if (now - quietSince >= idleMs) finish(receiver.lastAt > 0 ? receiver.lastAt : now);
      } else if (now - quietSince >= stallMs) {
        finished = true;
        clearInterval(watchdog);
        reject(new Error(`stalled: issued ${issued}, completed ${completed}, received ${receiver.count} of ${count}`));
      }
    }, 50);
    pump();
  });
}

/** Outcome of a paced run. */
export interface PacedResult {
  sent: number;
  received: number;
  p50: number;
  p99: number;
}

/**
 * Publishes `count` messages one at a time: the next one goes `intervalMs` after the
 * previous one has arrived and completed (or after `timeoutMs` if it never arrives,
 * counted as lost), so no queue builds up anywhere.
 * @param pair the open pair
 * @param receiver its subscriber bookkeeping
 * @param count messages to send
 * @param intervalMs pause between a message's arrival and the next publish
 * @param timeoutMs how long to wait for one message
 * @returns latency percentiles, ms
 */
export async function pacedRun(
  pair: Pair, receiver: Receiver, count: number, intervalMs: number, timeoutMs = 1000,
): Promise<PacedResult> {
  const run = nextRun();
  receiver.start(run, count);
  for (let seq = 0; seq < count; seq++) {
    await new Promise<void>((resolve) => {
      let completed = false;
      const before = receiver.count;
      const settle = (): void => {
        if (completed && receiver.count > before) { clearTimeout(timer); resolve(); }
      };
      const timer = setTimeout(resolve, timeoutMs);
      receiver.onArrival = settle;
      pair.publish(seq, run, () => { completed = true; settle(); });
      pair.flush();
    });
    await sleep(intervalMs);
  }
  receiver.onArrival = () => undefined;
  const [p50, p99] = percentiles(receiver.latencies, receiver.count, [50, 99]);
  return { sent: count, received: receiver.count, p50: p50 as number, p99: p99 as number };
}

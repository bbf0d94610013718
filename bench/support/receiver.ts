/** Counts and times the messages of one run on the subscriber side. */
import { PROBE_RUN, readU32, sentAt } from './payload.js';

/** Subscriber-side bookkeeping: unique arrivals of the current run, their latencies, probes. */
export class Receiver {
  /** Unique messages of the current run received so far. */
  count = 0;
  /** Messages of the current run received more than once. */
  duplicates = 0;
  /** `performance.now()` of the latest arrival of the current run. */
  lastAt = 0;
  /** Whether a readiness probe arrived since {@link Receiver.start}. */
  probeSeen = false;
  /** Publish-to-receive latency (ms) of each unique arrival, in arrival order. */
  latencies = new Float64Array(0);
  /** Called after each counted arrival (the runners wake up on it). */
  onArrival: () => void = () => undefined;
  private run = -1;
  private seen = new Uint8Array(0);

  /**
   * Resets for a new run.
   * @param run run id the payloads carry (others are ignored)
   * @param expected how many messages the run publishes
   */
  start(run: number, expected: number): void {
    this.run = run;
    this.count = 0;
    this.duplicates = 0;
    this.lastAt = 0;
    this.probeSeen = false;
    if (this.seen.length < expected) this.seen = new Uint8Array(expected);
    else this.seen.fill(0, 0, expected);
    if (this.latencies.length < expected) this.latencies = new Float64Array(expected);
  }

  /** The subscriber callback; bound, so it can be handed to a driver as is. */
  readonly onMessage = (bytes: Uint8Array, offset: number): void => {
    const now = performance.now();
    const run = readU32(bytes, offset + 12);
    if (run !== this.run) {
      if (run === PROBE_RUN) this.probeSeen = true;
      this.onArrival();
      return;
    }
    const seq = readU32(bytes, offset + 8);
    if (this.seen[seq] === 1) { this.duplicates++; return; }
    this.seen[seq] = 1;
    this.latencies[this.count++] = now - sentAt(bytes, offset);
    this.lastAt = now;
    this.onArrival();
  };
}

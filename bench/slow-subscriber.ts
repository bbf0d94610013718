/**
 * Slow subscribers: how much a consumer that takes 10 ms per message holds when the
 * messages come faster, with and without the bounds rx-mqtt offers.
 *
 *   node scripts/run-ts.mjs bench/slow-subscriber.ts            10,000 messages
 *   node scripts/run-ts.mjs bench/slow-subscriber.ts --smoke    1,000, for CI
 *
 * Runs in virtual time on the scripted broker (see bench/support/slow-subscriber-run.ts):
 * the figures are counts of messages, exact and the same on every machine. Memory is
 * the messages held × their size; a message object with a small payload is ~200 bytes.
 * Prints numbers; asserts nothing (test/marbles/slow-subscriber.test.ts asserts the bounds).
 */
import { qos0Run, qos1Run, type SlowRun } from './support/slow-subscriber-run.js';

const n = process.argv.includes('--smoke') ? 1_000 : 10_000;
const delay = 10;
const rows: Array<[string, SlowRun]> = [
  ['QoS 1, auto ack, Receive Maximum 10', qos1Run({ n, window: 10, delay, manual: false })],
  ['QoS 1, manual ack, Receive Maximum 10', qos1Run({ n, window: 10, delay, manual: true })],
  ['QoS 1, manual ack, Receive Maximum 100', qos1Run({ n, window: 100, delay, manual: true })],
  ['QoS 0, concatMap, 1 msg/ms', qos0Run({ n, delay })],
  ["QoS 0, bounded(size 100, 'oldest'), 1 msg/ms", qos0Run({ n, delay, size: 100, drop: 'oldest' })],
  ["QoS 0, bounded(size 100, 'newest'), 1 msg/ms", qos0Run({ n, delay, size: 100, drop: 'newest' })],
];
console.log(`${n} messages, consumer ${delay} ms each, one at a time\n`);
console.log('| case | most held | consumed | dropped | broker in flight (max) | virtual time |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.maxHeld} | ${r.consumed} | ${r.dropped} | ${r.maxBrokerInflight} | ${r.ms} ms |`);
}

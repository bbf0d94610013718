/**
 * 10,000 `topic()` streams on one client: time and memory to subscribe and unsubscribe
 * them, and the cost of routing a message among them (against 100 streams, in the same run).
 *
 *   npm run bench:streams                 7 rounds, median
 *   npm run bench:streams -- --smoke      1 round, for CI
 *
 * The client talks to an in-process peer on the memory transport that answers CONNACK,
 * SUBACK and UNSUBACK at once and keeps nothing, so the figures are the client's own:
 * `topic()` → session → SUBSCRIBE encoded and written → SUBACK framed, decoded and
 * settled. Routing: the peer writes pre-encoded QoS 0 PUBLISH packets (one per chunk,
 * as many topics as streams, one match each, a third exact, a third `+`, a third `#`)
 * and the client frames, decodes and delivers each to its stream; the same with 100
 * streams is the baseline, and 10,000 streams with messages for 100 of them tells the
 * number of streams stored from the size of the working set (caches). Memory is the live
 * heap (`heapUsed + arrayBuffers`) after full collections. Prints numbers; asserts nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { connect } from '../src/index.js';
import type { MqttClient } from '../src/index.js';
import { decode } from '../src/packets/decode.js';
import { encode } from '../src/packets/encode.js';
import { Framer } from '../src/packets/framer.js';
import { memory, type MemoryDuplex } from '../src/testing/index.js';
import { median } from './support/stats.js';

const STREAMS = 10_000;
/** The baseline: routing among this many streams. */
const FEW = 100;
const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 1 : 7;
const MESSAGES = smoke ? 20_000 : 200_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The i-th filter and a topic that matches it and no other filter of the set. */
function filterOf(i: number): [filter: string, topic: string] {
  switch (i % 3) {
    case 0:
      return [`load/${i}/temp`, `load/${i}/temp`];
    case 1:
      return [`load/+/${i}`, `load/q/${i}`];
    default:
      return [`load/${i}/#`, `load/${i}/a/b`];
  }
}

/** A client connected to a peer that answers and keeps nothing; `server()` is the peer's end. */
async function connected(): Promise<{ client: MqttClient; server: () => MemoryDuplex }> {
  let end: MemoryDuplex | undefined;
  const peer = memory((server) => {
    end = server;
    const framer = new Framer();
    server.incoming.subscribe((chunk) => {
      for (const frame of framer.push(chunk)) {
        const p = decode(frame, 4);
        if (p.cmd === 'connect') server.send(encode({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, 4));
        else if (p.cmd === 'subscribe') server.send(encode({ cmd: 'suback', messageId: p.messageId, granted: [0] }, 4));
        else if (p.cmd === 'unsubscribe') server.send(encode({ cmd: 'unsuback', messageId: p.messageId }, 4));
      }
    });
  });
  const client = connect('mqtt://peer', { transport: peer, keepalive: 0, reconnect: false });
  await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected')));
  return { client, server: () => end as MemoryDuplex };
}

interface Round {
  subscribeMs: number;
  unsubscribeMs: number;
  heapPerStream: number;
  heapLeft: number;
  routeNs: number;
  routeHotNs: number;
  routeFewNs: number;
}

/** Routes `MESSAGES` pre-encoded PUBLISH packets, cycling over `topics`; ns per message. */
function route(server: MemoryDuplex, topics: string[], delivered: () => number): number {
  const frames = topics.map((topic) => encode({ cmd: 'publish', topic, payload: new Uint8Array(16), qos: 0, dup: false, retain: false }, 4));
  const before = delivered();
  const start = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) server.send(frames[i % frames.length]!);
  const ns = Number(process.hrtime.bigint() - start) / MESSAGES;
  if (delivered() - before !== MESSAGES) throw new Error(`${delivered() - before} of ${MESSAGES} messages delivered`);
  return ns;
}

async function round(): Promise<Round> {
  const pairs = Array.from({ length: STREAMS }, (_, i) => filterOf(i));
  const { client, server } = await connected();
  let count = 0;
  const onMessage = (): void => void count++;

  const before = liveHeap();
  let t = process.hrtime.bigint();
  let subs: Subscription[] | undefined = pairs.map(([f]) => client.topic(f).subscribe(onMessage));
  const subscribeMs = Number(process.hrtime.bigint() - t) / 1e6;
  const subscribed = liveHeap();

  // Topics in a shuffled order, so consecutive messages rarely share a topic (no cache hits).
  const topics = pairs.map(([, topic]) => topic).sort((a, b) => (hash(a) - hash(b)));
  const routeNs = route(server(), topics, () => count);
  // 10,000 streams stored, but messages for 100 of them only: the working set of the baseline.
  const routeHotNs = route(server(), topics.slice(0, FEW), () => count);

  t = process.hrtime.bigint();
  subs.forEach((s) => s.unsubscribe());
  const unsubscribeMs = Number(process.hrtime.bigint() - t) / 1e6;
  subs = undefined;
  const after = liveHeap();

  // The same routing with 100 streams (100 topics in turn), as the baseline.
  const few = pairs.slice(0, FEW).map(([f]) => client.topic(f).subscribe(onMessage));
  const routeFewNs = route(server(), pairs.slice(0, FEW).map(([, topic]) => topic), () => count);
  few.forEach((s) => s.unsubscribe());
  await firstValueFrom(client.end(), { defaultValue: undefined });

  return {
    subscribeMs,
    unsubscribeMs,
    heapPerStream: (subscribed - before) / STREAMS,
    heapLeft: after - before,
    routeNs,
    routeHotNs,
    routeFewNs,
  };
}

/** A cheap string hash (FNV-1a), for a fixed shuffle. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function main(): Promise<void> {
  await round(); // warm-up: compile the paths once
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  const m = (pick: (r: Round) => number): number => median(rounds.map(pick));
  const range = (pick: (r: Round) => number, digits: number): string => {
    const values = rounds.map(pick);
    return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  };
  console.log(`bench:streams — ${STREAMS} topic() streams, ${ROUNDS} round(s), median (range); Node ${process.version}`);
  console.log(`subscribe ${STREAMS} streams:     ${m((r) => r.subscribeMs).toFixed(0)} ms (${range((r) => r.subscribeMs, 0)}), ${(m((r) => r.subscribeMs) * 1000 / STREAMS).toFixed(1)} µs per stream`);
  console.log(`unsubscribe ${STREAMS} streams:   ${m((r) => r.unsubscribeMs).toFixed(0)} ms (${range((r) => r.unsubscribeMs, 0)}), ${(m((r) => r.unsubscribeMs) * 1000 / STREAMS).toFixed(1)} µs per stream`);
  console.log(`live heap per stream:          ${(m((r) => r.heapPerStream) / 1024).toFixed(2)} KiB (${range((r) => r.heapPerStream / 1024, 2)}), ${(m((r) => r.heapPerStream) * STREAMS / 2 ** 20).toFixed(1)} MiB for ${STREAMS}`);
  console.log(`live heap left after unsubscribing all: ${(m((r) => r.heapLeft) / 2 ** 20).toFixed(2)} MiB (${range((r) => r.heapLeft / 2 ** 20, 2)})`);
  console.log(`route one message, ${STREAMS} streams: ${m((r) => r.routeNs).toFixed(0)} ns (${range((r) => r.routeNs, 0)}); ${MESSAGES} messages, ${STREAMS} distinct topics`);
  console.log(`route one message, ${STREAMS} streams, ${FEW} topics in turn: ${m((r) => r.routeHotNs).toFixed(0)} ns (${range((r) => r.routeHotNs, 0)})`);
  console.log(`route one message, ${FEW} streams:   ${m((r) => r.routeFewNs).toFixed(0)} ns (${range((r) => r.routeFewNs, 0)}); ${FEW} distinct topics; ratio ${STREAMS} / ${FEW} streams: ${(m((r) => r.routeNs) / m((r) => r.routeFewNs)).toFixed(2)}`);
}

void main();

/**
 * Load: 10,000 `topic()` streams on one client, against the scripted broker (in-process,
 * synchronous). Checks the SUBSCRIBE / UNSUBSCRIBE packets, that every stream gets
 * exactly the messages its filter matches, that unsubscribing leaves the session's
 * tables empty and the heap near where it started, and that routing a message does not
 * scan the filters: the work of one `TopicTree.match` is the same with 10,000 and
 * 100,000 filters stored. Figures (time, memory) come from `npm run bench:streams`;
 * nothing here asserts on time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { filter, firstValueFrom, queueScheduler, type Subscription } from 'rxjs';
import { connect } from '../../src/index.js';
import type { MqttClient, MqttMessage } from '../../src/index.js';
import type { Packet, SubscribePacket, UnsubscribePacket } from '../../src/packets/packet.js';
import { matches } from '../../src/packets/topic.js';
import { TopicTree } from '../../src/protocol/topic-tree.js';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { Framer } from '../../src/packets/framer.js';
import { memory, scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';

const STREAMS = 10_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after full collections (what stays alive). */
function liveHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The i-th filter: exact, `+` and `#` in turn, all distinct. */
function filterOf(i: number): string {
  switch (i % 3) {
    case 0:
      return `load/${i}/temp`; // exact
    case 1:
      return `load/+/${i}`; // single-level wildcard
    default:
      return `load/${i}/#`; // multi-level wildcard
  }
}

const FILTERS = Array.from({ length: STREAMS, }, (_, i) => filterOf(i));

/**
 * Topics published, matching a known subset: one stream, two streams (`load/{a}/#` and
 * `load/+/{b}`), the `#` parent level itself, and nothing at all.
 */
const TOPICS = [
  'load/0/temp', // load/0/temp
  'load/3/temp', // load/3/temp
  'load/9999/temp', // load/9999/temp
  'load/x/1', // load/+/1
  'load/kitchen/9997', // load/+/9997
  'load/2', // load/2/# covers its parent level
  'load/5/deep/er', // load/5/#
  'load/2/4', // load/2/# and load/+/4
  'load/8/7', // load/8/# and load/+/7
  'load/9998/temp', // load/9998/# only (9998 is not an exact filter)
  'load/6/temp/more', // nothing: exact filters stop at temp, 6 has no #
  'load/1/temp', // nothing: 1 has load/+/1, which needs a level after load/
  'other/0/temp', // nothing
  '$SYS/load/0/temp', // nothing
];

/** What the client sent, by kind. */
function sent(broker: ScriptedBroker): Packet[] {
  const packets: Packet[] = [];
  broker.received$.subscribe((p) => packets.push(p)).unsubscribe();
  return packets;
}

/** The session behind a client: a white-box look at its tables (test only). */
interface SessionTables {
  readonly subs: { readonly size: number; readonly tree: TopicTree<unknown> };
  readonly stale: ReadonlySet<string>;
  readonly subFlows: ReadonlyMap<number, unknown>;
}

function tablesOf(client: MqttClient): SessionTables {
  return (client as unknown as { session: SessionTables }).session;
}

describe('10,000 topic() streams on one client', () => {
  it('subscribes, routes each message to exactly its streams, unsubscribes and leaves nothing behind', async () => {
    // Replies on the queue scheduler: synchronous, as the memory transport is (no timer per reply).
    const broker = scriptedBroker({ scheduler: queueScheduler });
    const client = connect('mqtt://broker', { transport: broker.transport, keepalive: 0, reconnect: false });
    await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected')));

    const packetsBefore = sent(broker).length;

    const received: MqttMessage[][] = FILTERS.map(() => []);
    const subscriptions: Subscription[] = FILTERS.map((f, i) => client.topic(f).subscribe((m) => received[i]!.push(m)));
    const afterSubscribe = sent(broker).slice(packetsBefore);
    const subscribes = afterSubscribe.filter((p): p is SubscribePacket => p.cmd === 'subscribe');
    // One SUBSCRIBE per filter: the client does not batch.
    expect(subscribes).toHaveLength(STREAMS);
    expect(subscribes.every((p) => p.subscriptions.length === 1)).toBe(true);
    expect(new Set(subscribes.map((p) => p.subscriptions[0]!.topic))).toEqual(new Set(FILTERS));
    expect(tablesOf(client).subs.size).toBe(STREAMS);
    expect(tablesOf(client).subs.tree.size).toBe(STREAMS);

    TOPICS.forEach((topic, k) => broker.publish(topic, `m${k}`).subscribe());
    let total = 0;
    const wrong: { filter: string; got: string[]; expected: string[] }[] = [];
    FILTERS.forEach((f, i) => {
      const expected = TOPICS.filter((t) => matches(f, t));
      const got = received[i]!.map((m) => m.topic);
      total += expected.length;
      if (got.length !== expected.length || got.some((t, k) => t !== expected[k])) wrong.push({ filter: f, got, expected });
    });
    expect(wrong).toEqual([]);
    // The known subset: 14 topics, 12 deliveries (two topics reach two streams each, four reach none).
    expect(total).toBe(12);

    subscriptions.forEach((s) => s.unsubscribe());
    const afterUnsubscribe = sent(broker).slice(packetsBefore + afterSubscribe.length);
    const unsubscribes = afterUnsubscribe.filter((p): p is UnsubscribePacket => p.cmd === 'unsubscribe');
    expect(unsubscribes).toHaveLength(STREAMS);
    expect(new Set(unsubscribes.flatMap((p) => p.unsubscriptions))).toEqual(new Set(FILTERS));

    const tables = tablesOf(client);
    expect([tables.subs.size, tables.stale.size, tables.subFlows.size, tables.subs.tree.size]).toEqual([0, 0, 0, 0]);

    await firstValueFrom(client.end(), { defaultValue: undefined });
  }, 30_000);

  it('gives the memory of 10,000 streams back when they end (heap after GC near the baseline)', async () => {
    // A peer that answers and counts but keeps nothing (the scripted broker records every packet).
    const counts = { subscribe: 0, unsubscribe: 0 };
    const peer = memory((server) => {
      const framer = new Framer();
      server.incoming.subscribe((chunk) => {
        for (const frame of framer.push(chunk)) {
          const packet = decode(frame, 4);
          if (packet.cmd === 'connect') server.send(encode({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, 4));
          if (packet.cmd === 'subscribe') {
            counts.subscribe++;
            server.send(encode({ cmd: 'suback', messageId: packet.messageId, granted: [0] }, 4));
          }
          if (packet.cmd === 'unsubscribe') {
            counts.unsubscribe++;
            server.send(encode({ cmd: 'unsuback', messageId: packet.messageId }, 4));
          }
        }
      });
    });
    const client = connect('mqtt://peer', { transport: peer, keepalive: 0, reconnect: false });
    await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected')));
    // A first round, so the baseline has the code compiled and the session's maps grown once.
    FILTERS.map((f) => client.topic(f).subscribe()).forEach((s) => s.unsubscribe());

    const before = liveHeap();
    let subscriptions: Subscription[] | undefined = FILTERS.map((f) => client.topic(f).subscribe());
    const subscribed = liveHeap();
    subscriptions.forEach((s) => s.unsubscribe());
    subscriptions = undefined;
    const after = liveHeap();

    expect(counts).toEqual({ subscribe: 2 * STREAMS, unsubscribe: 2 * STREAMS });
    const tables = tablesOf(client);
    expect([tables.subs.size, tables.stale.size, tables.subFlows.size, tables.subs.tree.size]).toEqual([0, 0, 0, 0]);
    const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
    console.log(`10,000 streams: live heap ${mb(before)} before, ${mb(subscribed)} subscribed (+${mb(subscribed - before)}), ${mb(after)} after (${mb(after - before)})`);
    // A bound, not a timing: what 10,000 streams hold must go, all but a tenth at most (GC noise).
    expect(subscribed - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThan((subscribed - before) / 10);

    await firstValueFrom(client.end(), { defaultValue: undefined });
  }, 30_000);

  describe('routing does not scan the filters', () => {
    /**
     * Counts the string and map operations the code under `fn` does: the trie's walk does
     * one `indexOf` per level, and finds a literal child by `startsWith` (a few children)
     * or `Map.get` (many). A scan of the stored filters would do work for each of them
     * (`matches` reads a filter with `charCodeAt`): the control below shows the count sees it.
     */
    function operations(fn: () => void): number {
      const spied = [
        [String.prototype, 'indexOf'],
        [String.prototype, 'startsWith'],
        [String.prototype, 'slice'],
        [String.prototype, 'charCodeAt'],
        [Map.prototype, 'get'],
      ] as const;
      let count = 0;
      const originals = spied.map(([proto, name]) => {
        const original = (proto as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
        (proto as unknown as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
          count++;
          return original.apply(this, args);
        };
        return original;
      });
      try {
        fn();
      } finally {
        spied.forEach(([proto, name], k) => ((proto as unknown as Record<string, unknown>)[name] = originals[k]));
      }
      return count;
    }

    /** `n` filters under `f/`, exact, `+` and `#`, of which only the last three match `f/7/x`. */
    function treeOf(n: number): TopicTree<number> {
      const tree = new TopicTree<number>();
      for (let i = 10; i < n + 7; i++) tree.add(i % 3 === 0 ? `f/${i}/y` : i % 3 === 1 ? `f/+/${i}` : `f/${i}/#`, i);
      ['f/7/x', 'f/+/x', 'f/7/#'].forEach((f, k) => tree.add(f, -1 - k));
      return tree;
    }

    it('TopicTree.match does the same work among 10,000 and 100,000 filters when the same 3 match', () => {
      const work = [10_000, 100_000].map((n) => {
        const tree = treeOf(n);
        expect(tree.size).toBe(n);
        const found: number[] = [];
        const ops = operations(() => tree.match('f/7/x', (value) => found.push(value)));
        expect(found.sort((a, b) => a - b)).toEqual([-3, -2, -1]);
        return ops;
      });
      expect(work[1]).toBe(work[0]);
      expect(work[0]).toBeLessThan(30);
      // Control: a linear scan with `matches` over the same 10,000 filters, counted the same way.
      const filters = Array.from(treeOf(10_000).filters());
      const scan = operations(() => filters.filter((f) => matches(f, 'f/7/x')));
      console.log(`TopicTree.match('f/7/x'): ${work[0]} string/map operations among 10,000 filters, ${work[1]} among 100,000; a scan with matches(): ${scan}`);
      expect(scan).toBeGreaterThan(10_000);
    });

    it('a message reaches its stream with the same work through a client with 1,000 or 10,000 streams', async () => {
      const work: number[] = [];
      for (const n of [1_000, STREAMS]) {
        const broker = scriptedBroker({ scheduler: queueScheduler });
        const client = connect('mqtt://broker', { transport: broker.transport, keepalive: 0, reconnect: false });
        await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected')));
        const got: string[] = [];
        const subscriptions = FILTERS.slice(0, n).map((f) => client.topic(f).subscribe((m) => got.push(m.topic)));
        // Twice first: the second PUBLISH to a topic builds the tree's one-topic cache; route a fresh topic.
        broker.publish('load/x/1', 'warm').subscribe();
        work.push(operations(() => broker.publish('load/3/temp', 'hot').subscribe()));
        expect(got).toEqual(['load/x/1', 'load/3/temp']);
        subscriptions.forEach((s) => s.unsubscribe());
        await firstValueFrom(client.end(), { defaultValue: undefined });
      }
      console.log(`one PUBLISH routed: ${work[0]} string/map operations with 1,000 streams, ${work[1]} with 10,000`);
      expect(work[1]).toBe(work[0]);
    }, 30_000);
  });
});

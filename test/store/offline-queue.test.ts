import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, type Subscription } from 'rxjs';
import { fileStore } from '../../src/index.js';
import { useAedes } from '../support/aedes-suite.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';
import { journal, spawnTs } from './spawn-ts.js';

jest.setTimeout(30_000);

const COUNT = 100;
const FENCE = 'fence';
const SCRIPT = 'test/store/fixtures/offline-publisher.ts';

describe('the offline queue with fileStore: publishes queued while offline survive a SIGKILL (aedes, MQTT 3.1.1)', () => {
  const suite = useAedes();
  const pool = suite.pool;
  let proxy: FaultProxy | undefined;
  let dir: string;
  let child: ChildProcess | undefined;
  let subscription: Subscription | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-offline-queue-'));
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    subscription?.unsubscribe();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${COUNT} QoS 1 + ${COUNT} QoS 2 queued while cut off, process killed: a new process sends all, in order, QoS 2 exactly once`, async () => {
    const url = suite.url;
    const topic = uniqueTopic('offline-queue');
    const clientId = `rxmqtt_offline_${process.pid}`;
    const storeDir = join(dir, 'store');
    const arrived: string[] = [];
    let fenceArrived = (): void => undefined;
    const fenced = new Promise<void>((resolve) => {
      fenceArrived = resolve;
    });
    const subscriber = pool.connect(url, { clean: true });
    await waitFor(subscriber.state$, 'connected');
    const suback = nextPacket(subscriber, 'suback');
    subscription = subscriber.topic(topic, { qos: 2 }).subscribe((message) => {
      const text = new TextDecoder().decode(message.payload);
      if (text === FENCE) fenceArrived();
      else arrived.push(text);
    });
    expect((await suback).granted).toEqual([2]);

    // 1. Connected through the proxy, then cut off for good (the proxy stops listening):
    //    every publish waits in the offline queue, and in the store.
    const cutter = await startFaultProxy(suite.broker.port);
    proxy = cutter;
    const queuePath = join(dir, 'journal-queue.txt');
    child = spawnTs(SCRIPT, ['queue', cutter.url, storeDir, queuePath, clientId, topic, String(COUNT)], 20_000);
    const queueing = journal(child, queuePath);
    await queueing.until((lines) => lines.includes('connected'));
    await cutter.close();
    await queueing.until((lines) => lines.some((line) => line.startsWith('queued ')));
    child.kill('SIGKILL');
    expect((await queueing.exited).signal).toBe('SIGKILL');
    child = undefined;
    expect(queueing.lines()).toEqual(['connected', `queued ${2 * COUNT}`]);
    expect(arrived).toEqual([]);

    // What the dead process left: every message queued, none in flight.
    const left = fileStore(storeDir);
    const stored = left.load();
    left.close();
    expect({ queued: stored.queued.length, outgoing: stored.outgoing.length }).toEqual({ queued: 2 * COUNT, outgoing: 0 });

    // 2. A new process with the same store and client id, straight to the broker.
    const resumePath = join(dir, 'journal-resume.txt');
    child = spawnTs(SCRIPT, ['resume', url, storeDir, resumePath, clientId, topic, String(COUNT)], 20_000);
    const resuming = journal(child, resumePath);
    expect(await resuming.exited).toEqual({ code: 0, signal: null });
    child = undefined;
    expect(resuming.lines()).toEqual([`ready ${2 * COUNT} 0`, 'connected false', 'done']);

    // A QoS 2 fence from the subscriber itself: once it is back, every earlier delivery is in.
    await Promise.all([lastValueFrom(subscriber.publish(topic, FENCE, { qos: 2 })), fenced]);
    const expected = [1, 2].flatMap((qos) => Array.from({ length: COUNT }, (_, n) => `${qos}:${n}`));
    // All 200, each once, in the order they were published (one publisher, one topic: MQTT 4.6).
    expect(arrived).toEqual(expected);
  });
});

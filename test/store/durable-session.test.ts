import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, type Subscription } from 'rxjs';
import type { MqttClient } from '../../src/index.js';
import { useAedes } from '../support/aedes-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';
import { journal, spawnTs } from './spawn-ts.js';

jest.setTimeout(30_000);

const TOTAL = 300;
const KILLS = 3;
const FENCE = 'fence';

describe('a publisher with fileStore, SIGKILLed mid-stream and restarted (aedes, MQTT 3.1.1, clean: false)', () => {
  const suite = useAedes();
  const pool = suite.pool;
  let dir: string;
  let child: ChildProcess | undefined;
  let subscription: Subscription | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-durable-'));
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    subscription?.unsubscribe();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets every message to the subscriber: QoS 1 at least once, QoS 2 exactly once (MQTT-4.4.0-1, MQTT-2.3.1-3)', async () => {
    const topic = uniqueTopic('durable');
    const clientId = `rxmqtt_durable_${process.pid}`;
    const storeDir = join(dir, 'store');
    const counts = new Map<string, number>();
    let fenceArrived = (): void => undefined;
    const fenced = new Promise<void>((resolve) => {
      fenceArrived = resolve;
    });

    const subscriber: MqttClient = pool.connect(suite.url, { clean: true });
    await waitFor(subscriber.state$, 'connected');
    const suback = nextPacket(subscriber, 'suback');
    subscription = subscriber.topic(topic, { qos: 2 }).subscribe((message) => {
      const text = new TextDecoder().decode(message.payload);
      counts.set(text, (counts.get(text) ?? 0) + 1);
      if (text === FENCE) fenceArrived();
    });
    expect((await suback).granted).toEqual([2]);

    let from = 0;
    let resumed = 0;
    for (let run = 0; run <= KILLS; run++) {
      const journalPath = join(dir, `journal-${run}.txt`);
      child = spawnTs('test/store/fixtures/publisher.ts', [suite.url, storeDir, journalPath, clientId, topic, String(TOTAL), String(from)], 20_000);
      const out = journal(child, journalPath);
      if (run < KILLS) {
        // Killed after a few dozen more messages reached the store, mid-stream.
        const stored = 20 + Math.floor(Math.random() * 40);
        await out.until((lines) => lines.filter((line) => line.startsWith('stored ')).length >= stored);
        child.kill('SIGKILL');
        expect((await out.exited).signal).toBe('SIGKILL');
      } else {
        expect(await out.exited).toEqual({ code: 0, signal: null });
        expect(out.lines()).toContain('done');
      }
      child = undefined;
      const lines = out.lines();
      const [, , left] = (lines[0] ?? '').split(' ');
      resumed += Number(left);
      if (run > 0) expect(lines).toContain('connected true'); // the broker kept the session: resend with DUP
      for (const line of lines) if (line.startsWith('stored ')) from = Math.max(from, Number(line.slice(7)) + 1);
    }
    // The kills left unacknowledged messages in the store for the next process.
    expect(resumed).toBeGreaterThan(0);

    // A QoS 2 fence from the subscriber itself: once it is back, every earlier delivery is in.
    await Promise.all([lastValueFrom(subscriber.publish(topic, FENCE, { qos: 2 })), fenced]);

    const missing: number[] = [];
    const duplicated: number[] = [];
    for (let n = 0; n < TOTAL; n++) {
      const count = counts.get(String(n)) ?? 0;
      if (count === 0) missing.push(n);
      else if (n % 2 === 1 && count > 1) duplicated.push(n);
    }
    expect({ missing, duplicatedAtQos2: duplicated }).toEqual({ missing: [], duplicatedAtQos2: [] });
  });
});

// fileStore on a real full disk: a small tmpfs mounted for the test (needs root and a
// kernel that lets this process mount; skipped, saying why, where it cannot). chmod does
// not stop root, so a read-only directory is no test here; ENOSPC is.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { MqttStoreError, type MqttError, type PublishPacket, type PublishResult } from '../../src/index.js';
import { fileStore } from '../../src/store/file-store.js';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { clientPool } from '../support/client-pool.js';
import { collect } from '../support/collect.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const SIZE = 128 * 1024;

/** Mounts a tmpfs of `SIZE` bytes on a new directory; `undefined` when this machine will not. */
function mountTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-disk-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', dir], { stdio: 'ignore' });
  if (mounted.error === undefined && mounted.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return undefined;
}

const disk = mountTmpfs();
const describeOnTmpfs = disk === undefined ? describe.skip : describe;
if (disk === undefined) console.warn('file-store.disk-full.test.ts skipped: cannot mount a tmpfs here (not root?)');

function packet(n: number, size: number): PublishPacket {
  return { cmd: 'publish', topic: `full/${n}`, payload: new Uint8Array(size).fill(n & 0xff), qos: 1, dup: false, retain: false };
}

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;

describeOnTmpfs(`fileStore on a full disk (a ${SIZE / 1024} KiB tmpfs)`, () => {
  let where: string;
  let n = 0;
  beforeEach(() => {
    where = join(disk as string, String(++n));
    mkdirSync(where);
  });
  afterEach(() => rmSync(where, { recursive: true, force: true }));
  afterAll(() => {
    // Lazy: detached even if a failed test left a file open in it.
    spawnSync('umount', ['-l', disk as string], { stdio: 'ignore' });
    rmSync(disk as string, { recursive: true, force: true });
  });

  it('fails the write that does not fit with ENOSPC, keeps every earlier one, reopens on the full disk, and works once there is room', () => {
    const filler = join(where, 'filler');
    writeFileSync(filler, new Uint8Array(32 * 1024));
    const store = fileStore(join(where, 'store'), { fsync: false });
    let stored = 0;
    let failure: unknown;
    for (let seq = 1; seq < 1000 && failure === undefined; seq++) {
      try {
        store.putQueued(seq, packet(seq, 4000));
        stored++;
      } catch (error) {
        failure = error;
      }
    }
    expect(codeOf(failure)).toBe('ENOSPC');
    expect(stored).toBeGreaterThan(5);
    console.log(`disk full: ${stored} putQueued of 4 KB fitted, the next failed with ENOSPC`);
    expect(store.load().queued).toHaveLength(stored);
    store.close();

    // The disk is still full: no room to rewrite the log, so it is used as it is.
    const again = fileStore(join(where, 'store'), { fsync: false });
    expect(again.load().queued.map((q) => q.seq)).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    rmSync(filler);
    again.putQueued(1000, packet(1000, 4000));
    again.close();
    const last = fileStore(join(where, 'store'), { fsync: false });
    expect(last.load().queued).toHaveLength(stored + 1);
    last.close();
  });

  describe('under a client', () => {
    let broker: AedesBroker;
    let proxy: FaultProxy | undefined;
    let subscription: Subscription | undefined;
    const pool = clientPool();
    beforeAll(async () => {
      broker = await startAedes();
    });
    afterEach(async () => {
      subscription?.unsubscribe();
      await proxy?.close();
      await pool.endAll();
    });
    afterAll(() => broker.stop());

    it('a QoS 1 publish that cannot be stored fails with MqttStoreError (ENOSPC) and is never sent; the stored ones arrive', async () => {
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const topic = uniqueTopic('disk-full');
      const filler = join(where, 'filler');
      writeFileSync(filler, new Uint8Array(32 * 1024));
      const store = fileStore(join(where, 'store'), { fsync: false });
      const cut = await startFaultProxy(broker.port);
      proxy = cut;
      cut.stall(true); // CONNECT held: not connected, every publish waits in the (stored) queue

      const subscriber = pool.connect(url);
      await waitFor(subscriber.state$, 'connected');
      const suback = nextPacket(subscriber, 'suback');
      const received = collect(subscriber.topic(topic, { qos: 1 }), 1, 20_000);
      await suback;

      const client = pool.connect(cut.url, { store, connectTimeout: 20_000 });
      const errors: MqttError[] = [];
      client.errors$.subscribe((error) => errors.push(error));
      const sent: number[] = [];
      client.packets$.subscribe(({ direction, packet: p }) => {
        if (direction === 'out' && p.cmd === 'publish') sent.push(p.payload[0] ?? -1);
      });
      const results: Array<Promise<PublishResult>> = [];
      let failure: unknown;
      let count = 0;
      while (failure === undefined && count < 100) {
        const n = ++count;
        let rejected: unknown;
        const result = new Promise<PublishResult>((resolve, reject) => {
          client.publish(topic, new Uint8Array(4000).fill(n), { qos: 1 }).subscribe({
            next: resolve,
            error: (error: unknown) => {
              rejected = error;
              reject(error as Error);
            },
          });
        });
        // A publish that cannot be stored is failed at once, within publish().
        if (rejected === undefined) results.push(result);
        else {
          failure = rejected;
          result.catch(() => undefined);
        }
      }
      expect(failure).toBeInstanceOf(MqttStoreError);
      expect(failure).toMatchObject({ operation: 'putQueued' });
      expect(codeOf((failure as MqttStoreError).cause)).toBe('ENOSPC');
      const queued = count - 1;
      expect(queued).toBeGreaterThan(3);
      console.log(`disk full under a client: ${queued} publishes of 4 KB queued, publish ${count} failed with ${String(failure)}`);

      // Room again, and the network back: every publish that was stored goes out and is acknowledged.
      rmSync(filler);
      subscription = undefined;
      cut.stall(false);
      const settledResults = await Promise.all(results);
      expect(settledResults).toHaveLength(queued);
      expect(sent).toEqual(Array.from({ length: queued }, (_, i) => i + 1)); // the failed one never
      expect((await received)[0]?.payload[0]).toBe(1);
      expect(errors).toEqual([]);
      expect(store.load()).toEqual({ outgoing: [], incoming: [], queued: [] });
      await pool.end(client);
      store.close();
    });
  });
});

/**
 * File store cost: store operations per second with `fsync` on and off, on this
 * machine's disk, as a QoS 1 flow (putOutgoing, deleteOutgoing) and a QoS 2 flow
 * (putOutgoing, releaseOutgoing, deleteOutgoing) of a 100-byte message would drive it.
 *
 *   node scripts/run-ts.mjs bench/file-store.ts            full run (3 rounds, median)
 *   node scripts/run-ts.mjs bench/file-store.ts --smoke    a few hundred operations
 *   node scripts/run-ts.mjs bench/file-store.ts --dir /mnt/disk/tmp   measure another disk
 *
 * Prints numbers only; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishPacket } from '../src/packets/packet.js';
import { fileStore } from '../src/store/file-store.js';
import { median } from './support/stats.js';
import { count, fixed, renderTable } from './support/table.js';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const dirFlag = argv.indexOf('--dir');
const base = dirFlag >= 0 ? (argv[dirFlag + 1] ?? tmpdir()) : tmpdir();
const rounds = smoke ? 1 : 3;
/** Flows per round: syncing is ~1000x slower than not syncing. */
const flows = { synced: smoke ? 50 : 300, unsynced: smoke ? 200 : 50000 };

const payload = new Uint8Array(100).fill(0x61);

function packet(messageId: number, qos: 1 | 2): PublishPacket {
  return { cmd: 'publish', topic: 'bench/file-store', payload, qos, dup: false, retain: false, messageId };
}

/** @returns store operations per second over `n` flows of `qos`. */
function measure(fsync: boolean, qos: 1 | 2, n: number): number {
  const dir = mkdtempSync(join(base, 'rx-mqtt-store-bench-'));
  const store = fileStore(dir, { fsync });
  try {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const id = (i % 65535) + 1;
      store.putOutgoing(packet(id, qos));
      if (qos === 2) store.releaseOutgoing(id);
      store.deleteOutgoing(id);
    }
    const seconds = (performance.now() - start) / 1000;
    return (n * (qos === 2 ? 3 : 2)) / seconds;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[][] = [];
for (const fsync of [true, false]) {
  for (const qos of [1, 2] as const) {
    const n = fsync ? flows.synced : flows.unsynced;
    const opsPerSecond = median(Array.from({ length: rounds }, () => measure(fsync, qos, n)));
    rows.push([`fsync ${fsync ? 'on' : 'off'}`, `QoS ${qos}`, count(Math.round(opsPerSecond)), count(Math.round(opsPerSecond / (qos === 2 ? 3 : 2))), fixed(1e6 / opsPerSecond, 1)]);
  }
}
console.log(`file store in ${base}, ${rounds} round(s), median`);
console.log(renderTable(['mode', 'flow', 'ops/s', 'flows/s', 'µs/op'], rows));

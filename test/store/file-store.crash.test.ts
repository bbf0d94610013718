import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStore } from '../../src/store/file-store.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { applyOp, seededRandom, type StoreOp } from './fixtures/store-ops.js';
import { sessionSnapshot } from './session-snapshot.js';
import { journal, spawnTs } from './spawn-ts.js';

jest.setTimeout(30_000);

const ROUNDS = 6;
/** Small, so kills land in compactions too. */
const COMPACT_AT = 2048;

/** What the writer printed: the operations it finished, and the one it had started, if any. */
function parse(lines: readonly string[]): { done: StoreOp[]; started: StoreOp | undefined } {
  const done: StoreOp[] = [];
  let started: StoreOp | undefined;
  for (const line of lines) {
    if (line.startsWith('op ')) started = JSON.parse(line.slice(3)) as StoreOp;
    else if (line === 'ok' && started !== undefined) {
      done.push(started);
      started = undefined;
    }
  }
  return { done, started };
}

/** A memory store holding the same state as `from`. */
function copy(from: SessionStore): SessionStore {
  const to = memoryStore();
  const { outgoing, incoming, queued } = from.load();
  for (const { packet, released } of outgoing) {
    to.putOutgoing(packet);
    if (released) to.releaseOutgoing(packet.messageId as number);
  }
  for (const id of incoming) to.putIncoming(id);
  for (const { seq, packet } of queued) to.putQueued(seq, packet);
  return to;
}

describe('fileStore under SIGKILL', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-store-crash-'));
  });
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads, after each kill at a random moment, the state of a prefix of the operations the writer reported', async () => {
    const seed = Date.now() >>> 0;
    const random = seededRandom(seed);
    const model = memoryStore();
    const storeDir = join(dir, 'store');
    let total = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const fsync = round % 2 === 1;
      // fsync'ed operations take ~3 ms each here: fewer of them before the kill.
      const killAfter = 1 + Math.floor(random() * (fsync ? 150 : 2000));
      const context = `seed ${seed}, round ${round}, fsync ${fsync}, kill after ${killAfter} operations`;
      const journalPath = join(dir, `journal-${round}.txt`);
      child = spawnTs(
        'test/store/fixtures/writer.ts',
        [storeDir, journalPath, String(seed + round), String(COMPACT_AT), fsync ? '1' : '0', '1000000'],
        20_000,
      );
      const out = journal(child, journalPath);
      await out.until((lines) => lines.length > 0);
      expect(out.lines()[0]).toBe(`ready ${child.pid}`);
      // A second live process is kept out of the directory.
      expect(() => fileStore(storeDir)).toThrow(`in use by process ${child.pid}`);

      await out.until((lines) => lines.length >= 1 + 2 * killAfter); // ready, then op + ok per operation
      await new Promise((resolve) => setTimeout(resolve, random() * 5)); // somewhere inside a later operation
      child.kill('SIGKILL');
      expect((await out.exited).signal).toBe('SIGKILL');
      child = undefined;

      const { done, started } = parse(out.lines());
      for (const op of done) applyOp(model, op);
      total += done.length;
      const store = fileStore(storeDir, { fsync: false }); // takes over the dead writer's lock
      const loaded = sessionSnapshot(store.load());
      store.close();
      const withStarted = started === undefined ? undefined : copy(model);
      if (started !== undefined && withStarted !== undefined) applyOp(withStarted, started);
      if (withStarted !== undefined && JSON.stringify(loaded) === JSON.stringify(sessionSnapshot(withStarted.load()))) {
        applyOp(model, started as StoreOp); // the operation in progress had reached the log
      } else {
        expect({ context, state: loaded }).toEqual({ context, state: sessionSnapshot(model.load()) });
      }
    }
    expect(total).toBeGreaterThan(ROUNDS);
  });
});

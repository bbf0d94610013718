import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishPacket } from '../../src/packets/packet.js';
import { fileStore, type FileStore } from '../../src/store/file-store.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { packetOfArb } from '../support/arbitraries.js';
import { sessionSnapshot } from './session-snapshot.js';

/** Few identifiers, so operations meet the same flows again. */
const idArb = fc.integer({ min: 1, max: 6 });

/** A canonical MQTT 5 PUBLISH of QoS 1 or 2 with one of the few identifiers. */
const publishArb: fc.Arbitrary<PublishPacket> = fc
  .tuple(packetOfArb('publish', 5) as fc.Arbitrary<PublishPacket>, fc.constantFrom<1 | 2>(1, 2), idArb)
  .map(([packet, qos, messageId]) => ({ ...packet, qos, messageId }));

/** A few queue numbers, one past 32 bits. */
const seqArb = fc.constantFrom(0, 1, 2, 3, 2 ** 32 + 1);

/** A PUBLISH waiting in the offline queue: QoS 1 or 2, no packet identifier. */
const queuedArb: fc.Arbitrary<PublishPacket> = publishArb.map(({ messageId: _, ...packet }) => packet);

type Op =
  | { op: 'putOutgoing'; packet: PublishPacket }
  | { op: 'sendQueued'; seq: number; id: number }
  | { op: 'putQueued'; seq: number; packet: PublishPacket }
  | { op: 'deleteQueued'; seq: number }
  | { op: 'releaseOutgoing' | 'deleteOutgoing' | 'putIncoming' | 'deleteIncoming'; id: number }
  | { op: 'clearIncoming' }
  | { op: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: publishArb.map((packet) => ({ op: 'putOutgoing' as const, packet })) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constantFrom('releaseOutgoing' as const, 'deleteOutgoing' as const, 'putIncoming' as const, 'deleteIncoming' as const),
      id: idArb,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'clearIncoming' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('putQueued' as const), seq: seqArb, packet: queuedArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteQueued' as const), seq: seqArb }) },
  // Sent from the queue: the queued record goes with the same change.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('sendQueued' as const), seq: seqArb, id: idArb }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
);

function apply(store: SessionStore, op: Exclude<Op, { op: 'reopen' }>): void {
  switch (op.op) {
    case 'putOutgoing':
      return store.putOutgoing(op.packet);
    case 'sendQueued': {
      // As the session does: the queued PUBLISH, with its packet identifier.
      const queued = store.load().queued.find((q) => q.seq === op.seq);
      return queued === undefined ? undefined : store.putOutgoing({ ...queued.packet, messageId: op.id }, op.seq);
    }
    case 'putQueued':
      return store.putQueued(op.seq, op.packet);
    case 'deleteQueued':
      return store.deleteQueued(op.seq);
    case 'clearIncoming':
      return store.clearIncoming();
    default:
      return store[op.op](op.id);
  }
}

describe('fileStore against the memory store (model test)', () => {
  let dir: string;
  let current: FileStore | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-store-model-'));
  });
  afterEach(() => current?.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads what the memory store holds after any sequence of operations, live and after reopening from disk', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.constantFrom(64, 512, 1 << 20), (ops, compactAt) => {
        const where = join(dir, String(run++));
        const model = memoryStore();
        current = fileStore(where, { fsync: false, compactAt });
        for (const op of ops) {
          if (op.op === 'reopen') {
            current.close();
            current = fileStore(where, { fsync: false, compactAt });
          } else {
            apply(model, op);
            apply(current, op);
          }
          expect(sessionSnapshot(current.load())).toEqual(sessionSnapshot(model.load()));
        }
        current.close();
        current = fileStore(where, { fsync: false, compactAt });
        expect(sessionSnapshot(current.load())).toEqual(sessionSnapshot(model.load()));
        current.close();
        current = undefined;
      }),
      { numRuns: 150 },
    );
  });
});

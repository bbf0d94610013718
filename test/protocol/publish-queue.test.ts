import fc from 'fast-check';
import { PublishQueue } from '../../src/protocol/publish-queue.js';

describe('PublishQueue', () => {
  it('keeps order, removes cancelled entries, and puts a re-added entry at the end', () => {
    const [a, b, c] = [{ n: 'a' }, { n: 'b' }, { n: 'c' }];
    const queue = new PublishQueue<{ n: string }>();
    queue.push(a);
    queue.push(b);
    queue.push(c);
    queue.push(a); // still waiting: no second copy
    expect(queue.size).toBe(3);
    expect(queue.delete(a)).toBe(true);
    expect(queue.delete(a)).toBe(false);
    queue.push(a);
    expect(queue.peek()).toBe(b);
    expect(queue.takeAll()).toEqual([b, c, a]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('property: behaves as an ordered list of distinct entries', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), id: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('takeAll' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const entries = Array.from({ length: 201 }, (_, id) => ({ id }));
        const queue = new PublishQueue<{ id: number }>();
        let model: { id: number }[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const e = entries[o.id]!;
            queue.push(e);
            if (!model.includes(e)) model.push(e);
          } else if (o.kind === 'delete') {
            const e = entries[o.id]!;
            expect(queue.delete(e)).toBe(model.includes(e));
            model = model.filter((m) => m !== e);
          } else if (o.kind === 'shift') {
            expect(queue.shift()).toBe(model.shift());
          } else {
            expect(queue.takeAll()).toEqual(model);
            model = [];
          }
          expect(queue.size).toBe(model.length);
          expect(queue.peek()).toBe(model[0]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

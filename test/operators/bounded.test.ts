import { map, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bounded } from '../../src/operators/bounded.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('bounded()', () => {
  it("drop: 'newest' keeps the first `size` waiting values and drops what arrives after, counting", () => {
    const ts = scheduler();
    const drops: Array<[string, number]> = [];
    ts.run(({ cold, expectObservable }) => {
      // consumer: 10 ms per value, one at a time
      const slow = (v: string) => timer(10, ts).pipe(map(() => v));
      const source = cold('abcdef|');
      // a runs at 0; b, c wait; d, e, f are dropped
      // ruler:                                                                       10 20 30
      expectObservable(source.pipe(bounded(slow, { size: 2, drop: 'newest', onDrop: (v, n) => drops.push([v, n]) }))).toBe(
        '10ms a 9ms b 9ms (c|)',
      );
    });
    expect(drops).toEqual([['d', 1], ['e', 2], ['f', 3]]);
  });

  it("drop: 'oldest' drops the longest-waiting value to make room for the new one", () => {
    const ts = scheduler();
    const drops: Array<[string, number]> = [];
    ts.run(({ cold, expectObservable }) => {
      const slow = (v: string) => timer(10, ts).pipe(map(() => v));
      const source = cold('abcdef|');
      // a runs at 0; the line holds the two latest: e, f
      expectObservable(source.pipe(bounded(slow, { size: 2, drop: 'oldest', onDrop: (v, n) => drops.push([v, n]) }))).toBe(
        '10ms a 9ms e 9ms (f|)',
      );
    });
    expect(drops).toEqual([['b', 1], ['c', 2], ['d', 3]]);
  });

  it('size 0: only what the consumer can take at once goes through', () => {
    const ts = scheduler();
    let dropped = 0;
    ts.run(({ cold, expectObservable }) => {
      const slow = (v: string) => timer(10, ts).pipe(map(() => v));
      expectObservable(cold('abc|').pipe(bounded(slow, { size: 0, drop: 'oldest', onDrop: (_, n) => (dropped = n) }))).toBe(
        '10ms (a|)',
      );
    });
    expect(dropped).toBe(2);
  });

  it('concurrency: that many run at once, `size` more wait', () => {
    const ts = scheduler();
    let dropped = 0;
    ts.run(({ cold, expectObservable }) => {
      const slow = (v: string) => timer(10, ts).pipe(map(() => v));
      // a at 0 and b at 1 run; c waits; d, e, f dropped; c runs from 10 to 20
      expectObservable(
        cold('abcdef|').pipe(bounded(slow, { size: 1, drop: 'newest', concurrency: 2, onDrop: (_, n) => (dropped = n) })),
      ).toBe('10ms ab 8ms (c|)');
    });
    expect(dropped).toBe(3);
  });

  it('a consumer fast enough drops nothing and keeps the order', () => {
    const ts = scheduler();
    let dropped = 0;
    ts.run(({ cold, expectObservable }) => {
      const quick = (v: string) => timer(1, ts).pipe(map(() => v));
      expectObservable(cold('a-b-c|').pipe(bounded(quick, { size: 1, drop: 'newest', onDrop: (_, n) => (dropped = n) }))).toBe(
        '-a-b-(c|)',
      );
    });
    expect(dropped).toBe(0);
  });

  it('errors of the source and of the consumer go downstream; unsubscribing tears both down', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('--x|');
      const source = cold('a---#');
      expectObservable(source.pipe(bounded(() => inner, { size: 1, drop: 'newest' }))).toBe('--x-#');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
      const failing = cold('a|');
      expectObservable(failing.pipe(bounded(() => throwError(() => new Error('boom')), { size: 1, drop: 'newest' }))).toBe(
        '#',
        undefined,
        new Error('boom'),
      );
      const forever = cold('-----x|');
      const src = cold('ab--');
      expectObservable(src.pipe(bounded(() => forever, { size: 1, drop: 'newest' })), '---!').toBe('---');
      expectSubscriptions(forever.subscriptions).toBe('^--!');
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  it('bad options fail the stream with an error that names them', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const id = (v: string) => [v];
      expectObservable(cold('a|').pipe(bounded(id, { size: -1, drop: 'newest' }))).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'RangeError', message: expect.stringContaining('size') }),
      );
      expectObservable(cold('a|').pipe(bounded(id, { size: 1, drop: 'newest', concurrency: 0 }))).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'RangeError', message: expect.stringContaining('concurrency') }),
      );
    });
  });
});

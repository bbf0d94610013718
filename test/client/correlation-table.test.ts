import { CorrelationTable } from '../../src/client/correlation-table.js';

/** Numbers from a fixed list, round and round. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('CorrelationTable', () => {
  it('makes 14-byte correlation data: the random prefix, then a big-endian counter', () => {
    const table = new CorrelationTable<string>(sequence(0.5));
    expect([...table.next()]).toEqual([128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0]);
    expect([...table.next()]).toEqual([128, 128, 128, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 1]);
  });

  it('never repeats correlation data within a table (10 000 in a row)', () => {
    const table = new CorrelationTable<number>(Math.random);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(Buffer.from(table.next()).toString('hex'));
    expect(seen.size).toBe(10_000);
    // counter bytes carry over: 256 → 0x01 0x00
    const fresh = new CorrelationTable<number>(sequence(0));
    for (let i = 0; i < 256; i++) fresh.next();
    expect([...fresh.next().subarray(8)]).toEqual([0, 0, 0, 0, 1, 0]);
  });

  it('tables with different random prefixes make different data for the same count', () => {
    const a = new CorrelationTable<number>(sequence(0.1));
    const b = new CorrelationTable<number>(sequence(0.2));
    expect(a.next()).not.toEqual(b.next());
  });

  it('take() returns the entry of known data once, and removes it', () => {
    const table = new CorrelationTable<string>(Math.random);
    const one = table.next();
    const two = table.next();
    table.add(one, 'one');
    table.add(two, 'two');
    expect(table.size).toBe(2);
    expect(table.take(Uint8Array.from(two))).toBe('two'); // equal bytes, another array
    expect(table.take(two)).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.values()).toEqual(['one']);
  });

  it('take() ignores absent, unknown and foreign-length data', () => {
    const table = new CorrelationTable<string>(Math.random);
    const data = table.next();
    table.add(data, 'mine');
    expect(table.take(undefined)).toBeUndefined();
    expect(table.take(new Uint8Array(14))).toBeUndefined();
    expect(table.take(data.subarray(0, 13))).toBeUndefined();
    expect(table.take(new Uint8Array(1_000_000))).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('delete() forgets an entry: a reply for it is then unknown', () => {
    const table = new CorrelationTable<string>(Math.random);
    const data = table.next();
    table.add(data, 'gone');
    table.delete(data);
    expect(table.take(data)).toBeUndefined();
    expect(table.size).toBe(0);
  });
});

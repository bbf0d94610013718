/** Random bytes at the front of every correlation data of one table. */
const PREFIX_BYTES = 8;
/** Bytes of the counter after the prefix: 2^48 requests before it wraps. */
const COUNTER_BYTES = 6;
/** Length of every correlation data a table makes. */
const DATA_BYTES = PREFIX_BYTES + COUNTER_BYTES;

/**
 * The pending requests of a requester, keyed by the MQTT 5 Correlation Data it made
 * for them. Each correlation data is a random prefix, fixed per table, followed by a
 * counter: unique among the table's requests, and unlikely to match a reply meant for
 * another table (an earlier process with the same client id, whose replies may still
 * arrive on the same response topic).
 *
 * @example
 * ```ts
 * const table = new CorrelationTable<string>(Math.random);
 * const data = table.next();
 * table.add(data, 'lamp/get');
 * table.take(data); // 'lamp/get', and it is gone
 * ```
 */
export class CorrelationTable<T> {
  private readonly prefix = new Uint8Array(PREFIX_BYTES);
  private counter = 0;
  private readonly pending = new Map<string, T>();

  /** @param random numbers in [0, 1), for the prefix. */
  constructor(random: () => number) {
    for (let i = 0; i < PREFIX_BYTES; i++) this.prefix[i] = Math.floor(random() * 256);
  }

  /** How many entries are pending. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * @returns fresh correlation data, unlike any other this table made (until 2^48 of them).
   */
  next(): Uint8Array {
    const data = new Uint8Array(DATA_BYTES);
    data.set(this.prefix);
    let n = this.counter;
    this.counter = n === 2 ** (8 * COUNTER_BYTES) - 1 ? 0 : n + 1;
    for (let i = DATA_BYTES - 1; i >= PREFIX_BYTES; i--) {
      data[i] = n % 256;
      n = Math.floor(n / 256);
    }
    return data;
  }

  /**
   * Registers `value` under `data`, replacing any entry already there.
   *
   * @param data correlation data from {@link next}.
   * @param value what a reply with that correlation data is for.
   */
  add(data: Uint8Array, value: T): void {
    this.pending.set(keyOf(data), value);
  }

  /**
   * Removes and returns the entry of a reply's correlation data.
   *
   * @param data the reply's correlation data, if it had any.
   * @returns the entry, or `undefined` when the data is absent or unknown (not ours, or already answered).
   */
  take(data: Uint8Array | undefined): T | undefined {
    // Anything of another length is not ours: no key is built for it, however long.
    if (data === undefined || data.length !== DATA_BYTES) return undefined;
    const key = keyOf(data);
    const value = this.pending.get(key);
    if (value !== undefined) this.pending.delete(key);
    return value;
  }

  /**
   * Removes the entry of `data`, if any.
   *
   * @param data correlation data from {@link next}.
   */
  delete(data: Uint8Array): void {
    this.pending.delete(keyOf(data));
  }

  /** @returns the pending entries, oldest first. */
  values(): T[] {
    return [...this.pending.values()];
  }
}

/** A map key for correlation data (one char per byte). */
function keyOf(data: Uint8Array): string {
  return String.fromCharCode(...data);
}

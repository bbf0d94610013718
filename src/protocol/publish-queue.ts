/** Past this many dead slots (cancelled or taken), the array is compacted. */
const COMPACT_AT = 64;

/**
 * The publishes waiting to be sent, in order, with O(1) removal of any of them (a
 * cancelled publish). An array read from a moving head, with a `Set` of the live
 * entries: cheaper than iterating a `Set` used as a FIFO, whose deleted slots at the
 * front are skipped again by every iteration until it rehashes. Each live entry maps
to its slot, so an entry cancelled and added again waits at its new place.
 *
 * @example
 * ```ts
 * const queue = new PublishQueue<Request>();
 * queue.push(a); queue.push(b);
 * queue.delete(a);  // cancelled
 * queue.shift();    // b
 * ```
 */
export class PublishQueue<P extends object> {
  private items: (P | undefined)[] = [];
  private head = 0;
  /** Each entry waiting, with its index in `items`. */
  private readonly live = new Map<P, number>();

  /** The number of entries waiting. */
  get size(): number {
    return this.live.size;
  }

  /**
   * @param item the entry.
   * @returns whether it waits in the queue.
   */
  has(item: P): boolean {
    return this.live.has(item);
  }

  /**
   * Appends `item` (at most once: adding an entry still waiting does nothing).
   *
   * @param item the entry.
   */
  push(item: P): void {
    if (this.live.has(item)) return;
    this.live.set(item, this.items.length);
    this.items.push(item);
  }

  /**
   * Removes `item` wherever it waits.
   *
   * @param item the entry.
   * @returns whether it was waiting.
   */
  delete(item: P): boolean {
    if (!this.live.delete(item)) return false;
    if (this.live.size === 0) this.reset();
    else if (this.items.length - this.head > 2 * this.live.size + COMPACT_AT) this.compact();
    return true;
  }

  /** @returns the first entry waiting, left in place, or `undefined`. */
  peek(): P | undefined {
    const items = this.items;
    while (this.head < items.length) {
      const item = items[this.head];
      if (item !== undefined && this.live.get(item) === this.head) return item;
      items[this.head++] = undefined; // cancelled
    }
    return undefined;
  }

  /** @returns the first entry waiting, removed, or `undefined`. */
  shift(): P | undefined {
    const item = this.peek();
    if (item === undefined) return undefined;
    this.items[this.head++] = undefined;
    this.live.delete(item);
    if (this.live.size === 0) this.reset();
    else if (this.head > COMPACT_AT && this.head * 2 > this.items.length) this.compact();
    return item;
  }

  /** @returns every entry waiting, in order; the queue is left empty. */
  takeAll(): P[] {
    const taken: P[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined && this.live.get(item) === i) taken.push(item);
    }
    this.reset();
    return taken;
  }

  private reset(): void {
    this.items.length = 0;
    this.head = 0;
    this.live.clear();
  }

  /** Drops the dead slots. */
  private compact(): void {
    const kept: (P | undefined)[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item === undefined || this.live.get(item) !== i) continue;
      this.live.set(item, kept.length);
      kept.push(item);
    }
    this.items = kept;
    this.head = 0;
  }
}

/** The largest Subscription Identifier (a Variable Byte Integer, MQTT 5 3.8.2.1.2). */
export const SUBSCRIPTION_ID_MAX = 268435455;

/**
 * MQTT 5 Subscription Identifiers of the live subscriptions: hands out identifiers no
 * live subscription has, and finds the subscriptions of an identifier (several when
 * the application gave the same one to several filters).
 *
 * @example
 * ```ts
 * const ids = new SubscriptionIds<string>();
 * const id = ids.allocate(); // 1
 * ids.add(id, 'sensors/+');
 * ids.get(1);                // ['sensors/+']
 * ```
 */
export class SubscriptionIds<T> {
  private readonly byId = new Map<number, T[]>();
  private next = 1;

  /** How many identifiers are in use. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * @returns an identifier (1..268435455) no live subscription has; ours grow, wrapping
   *   around at the maximum.
   */
  allocate(): number {
    let id = this.next;
    while (this.byId.has(id)) id = id === SUBSCRIPTION_ID_MAX ? 1 : id + 1;
    this.next = id === SUBSCRIPTION_ID_MAX ? 1 : id + 1;
    return id;
  }

  /**
   * @param id the identifier.
   * @param value the subscription that has it now.
   */
  add(id: number, value: T): void {
    const same = this.byId.get(id);
    if (same === undefined) this.byId.set(id, [value]);
    else same.push(value);
  }

  /**
   * @param id the identifier.
   * @param value the subscription that no longer has it.
   */
  delete(id: number, value: T): void {
    const same = this.byId.get(id);
    if (same === undefined) return;
    const i = same.indexOf(value);
    if (i >= 0) same.splice(i, 1);
    if (same.length === 0) this.byId.delete(id);
  }

  /**
   * @param id an identifier from a PUBLISH.
   * @returns the subscriptions that have it, if any.
   */
  get(id: number): readonly T[] | undefined {
    return this.byId.get(id);
  }
}

import { parseSharedFilter } from '../packets/topic.js';

/** One level of the trie: literal children, the `+` and `#` children, and the filters ending here. */
interface TrieNode<T> {
  readonly parent: TrieNode<T> | undefined;
  /** The level that leads here from `parent` (`'+'` and `'#'` included). */
  readonly level: string;
  children: Map<string, TrieNode<T>> | undefined;
  plus: TrieNode<T> | undefined;
  hash: TrieNode<T> | undefined;
  /** Filters (as added, `$share/` prefix included) that end at this node, with their values. */
  filters: Map<string, Set<T>> | undefined;
}

function createNode<T>(parent: TrieNode<T> | undefined, level: string): TrieNode<T> {
  return { parent, level, children: undefined, plus: undefined, hash: undefined, filters: undefined };
}

/**
 * A trie of topic filters, each mapped to a set of values, that finds the filters
 * matching a topic name by walking the topic's levels (literal child, `+` child, `#`
 * child), so a lookup costs about the topic's depth times the wildcard branching, not
 * the number of filters. `$share/{group}/{filter}` is stored under `filter`, and a
 * topic starting with `$` does not match a `+` or `#` first level (MQTT-4.7.2-1), as
 * in {@link matches}.
 *
 * Filters are taken as given: validate them first (`validateTopicFilter`).
 *
 * @example
 * ```ts
 * const tree = new TopicTree<string>();
 * tree.add('sensors/+/temp', 'stream-1');
 * tree.add('sensors/#', 'stream-2');
 * tree.match('sensors/kitchen/temp', (value, filter) => console.log(value, filter));
 * // stream-2 sensors/#, stream-1 sensors/+/temp (order unspecified)
 * ```
 */
export class TopicTree<T> {
  private readonly root: TrieNode<T> = createNode<T>(undefined, '');
  /** Every stored filter with its values; the same `Set`s the trie nodes hold. */
  private readonly byFilter = new Map<string, Set<T>>();

  /** The number of distinct filters stored (each with at least one value). */
  get size(): number {
    return this.byFilter.size;
  }

  /**
   * Stores `value` under `filter`. Adding the same pair twice stores it once.
   *
   * @param filter a valid topic filter, possibly `$share/{group}/...`.
   * @param value the value to find again with {@link match}.
   */
  add(filter: string, value: T): void {
    const existing = this.byFilter.get(filter);
    if (existing !== undefined) {
      existing.add(value);
      return;
    }
    const values = new Set<T>([value]);
    this.byFilter.set(filter, values);
    const node = this.descend(parseSharedFilter(filter).filter);
    (node.filters ??= new Map()).set(filter, values);
  }

  /**
   * Removes `value` from `filter`; the filter goes when its last value goes.
   *
   * @param filter the filter exactly as it was added.
   * @param value the value to remove.
   * @returns whether the pair was stored.
   */
  delete(filter: string, value: T): boolean {
    const values = this.byFilter.get(filter);
    if (values === undefined || !values.delete(value)) return false;
    if (values.size > 0) return true;
    this.byFilter.delete(filter);
    const node = this.find(parseSharedFilter(filter).filter);
    if (node !== undefined) {
      node.filters?.delete(filter);
      this.prune(node);
    }
    return true;
  }

  /**
   * The values stored under `filter` (exactly as added).
   *
   * @param filter a topic filter.
   * @returns its values, or `undefined` when the filter is not stored. Do not modify.
   */
  get(filter: string): ReadonlySet<T> | undefined {
    return this.byFilter.get(filter);
  }

  /**
   * Calls `visit` once for every (value, filter) pair whose filter matches `topic`.
   * A callback rather than an array so routing a message allocates nothing per match.
   * The tree may be changed from inside `visit`; a pair deleted before its turn is
   * not visited, a pair added during the walk may or may not be.
   *
   * @param topic a topic name, as carried by PUBLISH.
   * @param visit called with each matching value and the filter it was added under.
   */
  match(topic: string, visit: (value: T, filter: string) => void): void {
    const dollar = topic.charCodeAt(0) === 0x24; // '$': MQTT-4.7.2-1
    this.walk(this.root, topic, 0, dollar, visit);
  }

  /**
   * The stored filters, exactly as added.
   *
   * @returns an iterator over the distinct filters.
   */
  filters(): IterableIterator<string> {
    return this.byFilter.keys();
  }

  /**
   * Matches the level of `topic` starting at `start` (`start === topic.length + 1`
   * once every level is consumed) against the children of `node`.
   */
  private walk(
    node: TrieNode<T>,
    topic: string,
    start: number,
    dollar: boolean,
    visit: (value: T, filter: string) => void,
  ): void {
    if (start > topic.length) {
      emit(node, visit);
      if (node.hash !== undefined) emit(node.hash, visit); // `a/#` covers `a`
      return;
    }
    const wild = !(dollar && start === 0);
    if (wild && node.hash !== undefined) emit(node.hash, visit);
    let end = topic.indexOf('/', start);
    if (end === -1) end = topic.length;
    if (wild && node.plus !== undefined) this.walk(node.plus, topic, end + 1, dollar, visit);
    const child = node.children?.get(topic.slice(start, end));
    if (child !== undefined) this.walk(child, topic, end + 1, dollar, visit);
  }

  /** The node for `filter`'s levels, created as needed. */
  private descend(filter: string): TrieNode<T> {
    let node = this.root;
    let start = 0;
    for (;;) {
      let end = filter.indexOf('/', start);
      if (end === -1) end = filter.length;
      const level = filter.slice(start, end);
      if (level === '+') node = node.plus ??= createNode(node, level);
      else if (level === '#') node = node.hash ??= createNode(node, level);
      else {
        const children = (node.children ??= new Map());
        let child = children.get(level);
        if (child === undefined) {
          child = createNode(node, level);
          children.set(level, child);
        }
        node = child;
      }
      if (end === filter.length) return node;
      start = end + 1;
    }
  }

  /** The node for `filter`'s levels, if it exists. */
  private find(filter: string): TrieNode<T> | undefined {
    let node: TrieNode<T> | undefined = this.root;
    let start = 0;
    for (;;) {
      let end = filter.indexOf('/', start);
      if (end === -1) end = filter.length;
      const level = filter.slice(start, end);
      if (level === '+') node = node.plus;
      else if (level === '#') node = node.hash;
      else node = node.children?.get(level);
      if (node === undefined || end === filter.length) return node;
      start = end + 1;
    }
  }

  /** Unlinks `node` and its ancestors while they hold neither filters nor children. */
  private prune(node: TrieNode<T>): void {
    let current: TrieNode<T> = node;
    for (;;) {
      if (current.filters?.size === 0) current.filters = undefined;
      if (current.children?.size === 0) current.children = undefined;
      const parent = current.parent;
      if (parent === undefined || current.filters !== undefined || current.children !== undefined) return;
      if (current.plus !== undefined || current.hash !== undefined) return;
      if (parent.plus === current) parent.plus = undefined;
      else if (parent.hash === current) parent.hash = undefined;
      else parent.children?.delete(current.level);
      current = parent;
    }
  }
}

/** Visits every (value, filter) pair of the filters ending at `node`. */
function emit<T>(node: TrieNode<T>, visit: (value: T, filter: string) => void): void {
  if (node.filters === undefined) return;
  for (const [filter, values] of node.filters) {
    for (const value of values) visit(value, filter);
  }
}

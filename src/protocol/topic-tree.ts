import { parseSharedFilter } from '../packets/topic.js';

/** One level of the trie: literal children, the `+` and `#` children, and the filters ending here. */
interface TrieNode<T> {
  readonly parent: TrieNode<T> | undefined;
  /** The level that leads here from `parent` (`'+'` and `'#'` included). */
  readonly level: string;
  children: Map<string, TrieNode<T>> | undefined;
  /** The same literal children as `children`, scanned by index while they are few. */
  kids: TrieNode<T>[] | undefined;
  plus: TrieNode<T> | undefined;
  hash: TrieNode<T> | undefined;
  /** Filters (as added, `$share/` prefix included) that end at this node, with their values. */
  filters: Map<string, Set<T>> | undefined;
}

function createNode<T>(parent: TrieNode<T> | undefined, level: string): TrieNode<T> {
  return { parent, level, children: undefined, kids: undefined, plus: undefined, hash: undefined, filters: undefined };
}

/** Up to this many literal children, a level is found by comparing in place (no substring, no hashing). */
const SCAN_MAX = 8;

/**
 * A trie of topic filters, each mapped to a set of values, that finds the filters
 * matching a topic name by walking the topic's levels (literal child, `+` child, `#`
 * child), so a lookup costs about the topic's depth times the wildcard branching, not
 * the number of filters. `$share/{group}/{filter}` is stored under `filter`, and a
 * topic starting with `$` does not match a `+` or `#` first level (MQTT-4.7.2-1), as
 * in {@link matches}.
 *
 * A topic matched twice in a row is remembered: its later matches replay the walk's
 * result until the tree changes (most messages repeat the topic of the one before).
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
  /** Bumped by every change: a cached match, or one being visited, knows it may be stale. */
  private version = 0;
  /** The topic matched last (the cache is built when the same topic comes twice in a row). */
  private lastTopic: string | undefined;
  /** The pairs matching `cachedTopic`, in walk order, while `version` is `cachedVersion`. */
  private cachedTopic: string | undefined;
  private cachedVersion = -1;
  private cachedValues: T[] = [];
  private cachedFilters: string[] = [];

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
    this.changed();
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
    this.changed();
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
    if (this.cachedTopic !== topic || this.cachedVersion !== this.version) {
      if (this.lastTopic !== topic) {
        // A new topic: walk, and remember it in case it comes again.
        this.lastTopic = topic;
        this.walk(this.root, topic, 0, topic.charCodeAt(0) === 0x24, visit);
        return;
      }
      this.cache(topic);
    }
    // Streams of one topic are the common case: replay the walk without walking.
    const version = this.version;
    const values = this.cachedValues;
    const filters = this.cachedFilters;
    const n = values.length;
    for (let i = 0; i < n; i++) {
      const value = values[i] as T;
      const filter = filters[i] as string;
      // Changed from inside visit: skip the pairs deleted since.
      if (this.version !== version && this.byFilter.get(filter)?.has(value) !== true) continue;
      visit(value, filter);
    }
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
    const child = literalChild(node, topic, start, end);
    if (child !== undefined) this.walk(child, topic, end + 1, dollar, visit);
  }

  /** Records the pairs matching `topic`, in walk order, as the cached match. */
  private cache(topic: string): void {
    const values: T[] = [];
    const filters: string[] = [];
    this.walk(this.root, topic, 0, topic.charCodeAt(0) === 0x24, (value, filter) => {
      values.push(value);
      filters.push(filter);
    });
    this.cachedTopic = topic;
    this.cachedVersion = this.version;
    this.cachedValues = values;
    this.cachedFilters = filters;
  }

  /** A pair was added or deleted: the cached match is stale (and must not keep values alive). */
  private changed(): void {
    this.version++;
    if (this.cachedTopic === undefined) return;
    this.cachedTopic = undefined;
    this.cachedValues = [];
    this.cachedFilters = [];
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
          (node.kids ??= []).push(child);
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
      if (current.children?.size === 0) {
        current.children = undefined;
        current.kids = undefined;
      }
      const parent = current.parent;
      if (parent === undefined || current.filters !== undefined || current.children !== undefined) return;
      if (current.plus !== undefined || current.hash !== undefined) return;
      if (parent.plus === current) parent.plus = undefined;
      else if (parent.hash === current) parent.hash = undefined;
      else if (parent.children?.delete(current.level) === true) {
        const kids = parent.kids as TrieNode<T>[];
        kids.splice(kids.indexOf(current), 1);
      }
      current = parent;
    }
  }
}

/** The literal child of `node` for the level `topic[start, end)`. */
function literalChild<T>(node: TrieNode<T>, topic: string, start: number, end: number): TrieNode<T> | undefined {
  const kids = node.kids;
  if (kids === undefined) return undefined;
  if (kids.length > SCAN_MAX) return node.children?.get(topic.slice(start, end));
  const length = end - start;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i] as TrieNode<T>;
    if (kid.level.length === length && topic.startsWith(kid.level, start)) return kid;
  }
  return undefined;
}

/** Visits every (value, filter) pair of the filters ending at `node`. */
function emit<T>(node: TrieNode<T>, visit: (value: T, filter: string) => void): void {
  if (node.filters === undefined) return;
  for (const [filter, values] of node.filters) {
    for (const value of values) visit(value, filter);
  }
}

/**
 * The topic aliases of outbound PUBLISHes on one connection (MQTT 5): which alias
 * each topic has at the server, within the server's Topic Alias Maximum; when every
 * alias is taken, the least recently used topic gives its alias up. Lives as long as
 * one connection: aliases never survive it (MQTT-3.3.2-7).
 *
 * A `Map` keeps insertion order, so topic → alias is also the recency list (least
 * recent first): a use moves the topic to the end, an eviction takes the first.
 *
 * @example
 * ```ts
 * const aliases = new OutgoingAliases(2);
 * aliases.known('a');  // 0: not yet; send topic 'a' with alias aliases.assign('a') = 1
 * aliases.known('a');  // 1: send an empty topic with alias 1
 * ```
 */
export class OutgoingAliases {
  /** Topic → alias, least recently used first. */
  private readonly byTopic = new Map<string, number>();
  /** Alias → the topic the server maps it to (index 0 unused). */
  private readonly topics: (string | undefined)[];
  /** The lowest alias never handed out. */
  private next = 1;
  /** The most recently used topic: using it again needs no reordering. */
  private last: string | undefined;

  /**
   * @param maximum the server's Topic Alias Maximum (> 0).
   */
  constructor(readonly maximum: number) {
    this.topics = new Array<string | undefined>(maximum + 1);
  }

  /**
   * The alias the server knows `topic` by, marking it most recently used.
   *
   * @param topic a topic name.
   * @returns the alias, or 0 when `topic` has none.
   */
  known(topic: string): number {
    const alias = this.byTopic.get(topic);
    if (alias === undefined) return 0;
    if (topic !== this.last) {
      this.byTopic.delete(topic);
      this.byTopic.set(topic, alias);
      this.last = topic;
    }
    return alias;
  }

  /**
   * Gives `topic` (which has none, see {@link known}) an alias: a free one, else the
   * one of the least recently used topic. The caller sends the topic with it.
   *
   * @param topic a topic name.
   * @returns the alias, 1..maximum.
   */
  assign(topic: string): number {
    let alias: number;
    if (this.next <= this.maximum) {
      alias = this.next++;
    } else {
      // Every alias was handed out, so the latest assigned topic is still listed.
      const [oldest, taken] = this.byTopic.entries().next().value as [string, number];
      this.byTopic.delete(oldest);
      alias = taken;
    }
    this.bind(alias, topic);
    return alias;
  }

  /**
   * The server now maps `alias` to `topic` (a PUBLISH with both went out, e.g. with an
   * alias the application chose): whatever topic had that alias loses it.
   *
   * @param alias 1..maximum.
   * @param topic a topic name.
   */
  bind(alias: number, topic: string): void {
    const previous = this.topics[alias];
    if (previous !== undefined && this.byTopic.get(previous) === alias) this.byTopic.delete(previous);
    this.topics[alias] = topic;
    // A topic the application bound to a second alias keeps only the newer one here.
    this.byTopic.delete(topic);
    this.byTopic.set(topic, alias);
    this.last = topic;
  }
}

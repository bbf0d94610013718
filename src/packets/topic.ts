/**
 * Topic names and topic filters: matching, validation and the `$share/` prefix of
 * MQTT 5 shared subscriptions. Pure string functions; no allocation on the matching
 * path.
 */

const SLASH = 0x2f; // '/'
const PLUS = 0x2b; // '+'
const HASH = 0x23; // '#'
const DOLLAR = 0x24; // '$'
const SHARE_PREFIX = '$share/';
const MAX_TOPIC_BYTES = 65535;

/**
 * Whether the topic `filter` matches the topic name `topic`.
 *
 * `+` matches exactly one level, `#` matches the rest of the topic including its
 * parent level (`a/#` matches `a`), a `$share/{group}/` prefix is ignored, and a
 * topic starting with `$` is never matched by a filter starting with a wildcard.
 * The filter is assumed valid (see {@link validateTopicFilter}); a `+` or `#` that is
 * not alone in its level is compared as a plain character.
 *
 * @example
 * ```ts
 * matches('sport/+/player1', 'sport/tennis/player1'); // true
 * matches('sport/#', 'sport');                         // true
 * matches('#', '$SYS/uptime');                         // false
 * ```
 * @param filter a topic filter, as given to SUBSCRIBE.
 * @param topic a topic name, as carried by PUBLISH.
 * @returns true when a message published to `topic` belongs to a subscription to `filter`.
 */
export function matches(filter: string, topic: string): boolean {
  const fl = filter.length;
  const tl = topic.length;
  let f = sharePrefixLength(filter);
  let t = 0;
  if (f >= fl) return false;

  // MQTT-4.7.2-1: a filter starting with a wildcard does not match a `$` topic.
  if (tl > 0 && topic.charCodeAt(0) === DOLLAR) {
    const c = filter.charCodeAt(f);
    if (c === PLUS || c === HASH) return false;
  }

  // f and t each point at the start of a level (possibly empty) that exists.
  for (;;) {
    const c = filter.charCodeAt(f);
    let fEnd: number;
    let tEnd: number;
    if (c === HASH && f + 1 === fl) return true; // the rest, this level included
    if (c === PLUS && (f + 1 === fl || filter.charCodeAt(f + 1) === SLASH)) {
      fEnd = f + 1;
      tEnd = topic.indexOf('/', t);
      if (tEnd === -1) tEnd = tl;
    } else {
      while (f < fl) {
        const fc = filter.charCodeAt(f);
        if (fc === SLASH) break;
        if (t >= tl || topic.charCodeAt(t) !== fc) return false;
        f++;
        t++;
      }
      if (t < tl && topic.charCodeAt(t) !== SLASH) return false;
      fEnd = f;
      tEnd = t;
    }
    const filterDone = fEnd === fl;
    const topicDone = tEnd === tl;
    if (filterDone) return topicDone;
    if (topicDone) {
      // Only a trailing `/#` still matches: it covers its parent level.
      return fEnd + 2 === fl && filter.charCodeAt(fEnd + 1) === HASH;
    }
    f = fEnd + 1;
    t = tEnd + 1;
  }
}

/**
 * Splits a shared-subscription filter `$share/{group}/{filter}` into its share name
 * and the filter that topics are matched against. Any other filter (including a
 * `$share/...` too short to be a shared subscription) comes back unchanged, without
 * `group`.
 *
 * @example
 * ```ts
 * parseSharedFilter('$share/workers/jobs/+'); // { group: 'workers', filter: 'jobs/+' }
 * parseSharedFilter('jobs/+');                // { filter: 'jobs/+' }
 * ```
 * @param filter a topic filter.
 * @returns the share name, when there is one, and the filter to match with.
 */
export function parseSharedFilter(filter: string): { group?: string; filter: string } {
  const skip = sharePrefixLength(filter);
  if (skip === 0) return { filter };
  return { group: filter.slice(SHARE_PREFIX.length, skip - 1), filter: filter.slice(skip) };
}

/**
 * Checks a topic name for PUBLISH (or a will topic).
 *
 * @example
 * ```ts
 * validateTopicName('a/b');  // undefined
 * validateTopicName('a/+');  // 'topic name "a/+" contains the wildcard "+" (MQTT-3.3.2-2)'
 * ```
 * @param topic the topic name to check.
 * @returns `undefined` when the name is valid, else a message naming the problem (the
 *   caller picks the error type).
 */
export function validateTopicName(topic: string): string | undefined {
  if (topic.length === 0) return 'topic name is empty (MQTT-4.7.3-1)';
  for (let i = 0; i < topic.length; i++) {
    const c = topic.charCodeAt(i);
    if (c === PLUS || c === HASH) {
      return `topic name ${quote(topic)} contains the wildcard "${String.fromCharCode(c)}" (MQTT-3.3.2-2)`;
    }
  }
  return checkString('topic name', topic);
}

/**
 * Checks a topic filter for SUBSCRIBE or UNSUBSCRIBE, including the
 * `$share/{ShareName}/{filter}` form of MQTT 5 shared subscriptions.
 *
 * @example
 * ```ts
 * validateTopicFilter('a/+/c/#'); // undefined
 * validateTopicFilter('a/#/c');   // 'topic filter "a/#/c" has "#" before its last level (MQTT-4.7.1-2)'
 * ```
 * @param filter the topic filter to check.
 * @returns `undefined` when the filter is valid, else a message naming the problem.
 */
export function validateTopicFilter(filter: string): string | undefined {
  if (filter.length === 0) return 'topic filter is empty (MQTT-4.7.3-1)';
  let start = 0;
  if (filter.startsWith(SHARE_PREFIX)) {
    const slash = filter.indexOf('/', SHARE_PREFIX.length);
    const nameEnd = slash === -1 ? filter.length : slash;
    if (nameEnd === SHARE_PREFIX.length) {
      return `shared subscription ${quote(filter)} has an empty share name (MQTT-4.8.2-1)`;
    }
    for (let i = SHARE_PREFIX.length; i < nameEnd; i++) {
      const c = filter.charCodeAt(i);
      if (c === PLUS || c === HASH) {
        return `shared subscription ${quote(filter)} has "${String.fromCharCode(c)}" in its share name (MQTT-4.8.2-1)`;
      }
    }
    if (slash === -1 || slash + 1 === filter.length) {
      return `shared subscription ${quote(filter)} has no topic filter after its share name (MQTT-4.8.2-2)`;
    }
    start = slash + 1;
  }
  for (let i = start; i < filter.length; i++) {
    const c = filter.charCodeAt(i);
    if (c !== PLUS && c !== HASH) continue;
    const levelStart = i === start || filter.charCodeAt(i - 1) === SLASH;
    const levelEnd = i + 1 === filter.length || filter.charCodeAt(i + 1) === SLASH;
    if (c === HASH) {
      if (i + 1 !== filter.length) {
        return `topic filter ${quote(filter)} has "#" before its last level (MQTT-4.7.1-2)`;
      }
      if (!levelStart) {
        return `topic filter ${quote(filter)} has "#" sharing a level with other characters (MQTT-4.7.1-2)`;
      }
    } else if (!levelStart || !levelEnd) {
      return `topic filter ${quote(filter)} has "+" sharing a level with other characters (MQTT-4.7.1-3)`;
    }
  }
  return checkString('topic filter', filter);
}

/** Length of a well-formed `$share/{group}/` prefix of `filter`, or 0 when it has none. */
function sharePrefixLength(filter: string): number {
  if (!filter.startsWith(SHARE_PREFIX)) return 0;
  const slash = filter.indexOf('/', SHARE_PREFIX.length);
  return slash === -1 ? 0 : slash + 1;
}

/** The checks every topic string shares: no U+0000, well-formed, at most 65535 UTF-8 bytes. */
function checkString(what: string, s: string): string | undefined {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return `${what} ${quote(s)} contains U+0000 (MQTT-4.7.3-2)`;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return `${what} ${quote(s)} contains a lone surrogate (MQTT-1.5.4-1)`;
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return `${what} ${quote(s)} contains a lone surrogate (MQTT-1.5.4-1)`;
    } else bytes += 3;
  }
  if (bytes > MAX_TOPIC_BYTES) {
    return `${what} ${quote(s)} is ${bytes} UTF-8 bytes, over the limit of ${MAX_TOPIC_BYTES} (MQTT-4.7.3-3)`;
  }
  return undefined;
}

/** `s` quoted for an error message, shortened when long. */
function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

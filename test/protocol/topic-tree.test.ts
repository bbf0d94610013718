import fc from 'fast-check';
import { matches } from '../../src/packets/topic.js';
import { TopicTree } from '../../src/protocol/topic-tree.js';

/** Every (value, filter) pair `match` visits, sorted for comparison. */
function matched<T>(tree: TopicTree<T>, topic: string): string[] {
  const out: string[] = [];
  tree.match(topic, (value, filter) => out.push(`${String(value)} ${filter}`));
  return out.sort();
}

describe('TopicTree', () => {
  it('finds exact, "+" and "#" filters, and nothing else', () => {
    const tree = new TopicTree<number>();
    tree.add('a/b/c', 1);
    tree.add('a/+/c', 2);
    tree.add('a/#', 3);
    tree.add('#', 4);
    tree.add('+/+/+', 5);
    tree.add('a/b', 6);
    tree.add('b/#', 7);
    expect(matched(tree, 'a/b/c')).toEqual(['1 a/b/c', '2 a/+/c', '3 a/#', '4 #', '5 +/+/+']);
    expect(matched(tree, 'a/b')).toEqual(['3 a/#', '4 #', '6 a/b']);
    expect(matched(tree, 'a')).toEqual(['3 a/#', '4 #']);
    expect(matched(tree, 'c')).toEqual(['4 #']);
  });

  it('MQTT-4.7.2-1: a $ topic is not matched by a filter starting with a wildcard', () => {
    const tree = new TopicTree<string>();
    tree.add('#', 'all');
    tree.add('+/uptime', 'plus');
    tree.add('$SYS/#', 'sys');
    tree.add('$SYS/+', 'sys-plus');
    expect(matched(tree, '$SYS/uptime')).toEqual(['sys $SYS/#', 'sys-plus $SYS/+']);
    expect(matched(tree, 'x/$SYS')).toEqual(['all #']);
  });

  it('stores $share/{group}/{filter} under filter and reports the filter as added', () => {
    const tree = new TopicTree<string>();
    tree.add('$share/g1/a/+', 'shared');
    tree.add('a/+', 'plain');
    tree.add('$share/g2/#', 'everything');
    expect(matched(tree, 'a/b')).toEqual(['everything $share/g2/#', 'plain a/+', 'shared $share/g1/a/+']);
    expect(matched(tree, '$SYS/x')).toEqual([]);
    expect(tree.size).toBe(3);
    expect(tree.delete('$share/g1/a/+', 'shared')).toBe(true);
    expect(matched(tree, 'a/b')).toEqual(['everything $share/g2/#', 'plain a/+']);
  });

  it('holds a set of values per filter', () => {
    const tree = new TopicTree<string>();
    tree.add('a', 'x');
    tree.add('a', 'y');
    tree.add('a', 'x');
    expect(tree.size).toBe(1);
    expect([...tree.get('a')!]).toEqual(['x', 'y']);
    expect(matched(tree, 'a')).toEqual(['x a', 'y a']);
    expect(tree.delete('a', 'x')).toBe(true);
    expect(tree.delete('a', 'x')).toBe(false);
    expect(tree.size).toBe(1);
    expect(tree.delete('a', 'y')).toBe(true);
    expect(tree.size).toBe(0);
    expect(tree.get('a')).toBeUndefined();
    expect(tree.delete('a', 'y')).toBe(false);
    expect(tree.delete('never/added', 'y')).toBe(false);
  });

  it('handles empty levels', () => {
    const tree = new TopicTree<number>();
    tree.add('/', 1);
    tree.add('+/+', 2);
    tree.add('a//b', 3);
    tree.add('a/+/b', 4);
    tree.add('/#', 5);
    expect(matched(tree, '/')).toEqual(['1 /', '2 +/+', '5 /#']);
    expect(matched(tree, 'a//b')).toEqual(['3 a//b', '4 a/+/b']);
    expect(matched(tree, '')).toEqual(['5 /#']); // '#' covers its parent level, here empty
  });

  it('lists its filters', () => {
    const tree = new TopicTree<number>();
    tree.add('a/#', 1);
    tree.add('$share/g/a/#', 1);
    tree.add('b', 2);
    tree.delete('b', 2);
    expect([...tree.filters()].sort()).toEqual(['$share/g/a/#', 'a/#']);
  });

  it('prunes the trie when filters go', () => {
    const tree = new TopicTree<number>();
    const filters = ['a/b/c', 'a/+/c', 'a/#', '#', '+', 'a/b', '$share/g/a/b', 'x/y/z/#'];
    filters.forEach((f, i) => tree.add(f, i));
    filters.forEach((f, i) => expect(tree.delete(f, i)).toBe(true));
    const root = (tree as unknown as { root: Record<string, unknown> }).root;
    expect(root['children']).toBeUndefined();
    expect(root['plus']).toBeUndefined();
    expect(root['hash']).toBeUndefined();
    expect(tree.size).toBe(0);
  });

  it('keeps a node that still has a wildcard child when its own filter goes', () => {
    const tree = new TopicTree<number>();
    tree.add('a', 1);
    tree.add('a/+', 2);
    tree.add('a/#', 3);
    tree.delete('a', 1);
    expect(matched(tree, 'a/b')).toEqual(['2 a/+', '3 a/#']);
    tree.delete('a/+', 2);
    expect(matched(tree, 'a/b')).toEqual(['3 a/#']);
  });

  it('may be changed from inside visit', () => {
    const tree = new TopicTree<number>();
    tree.add('a/#', 1);
    tree.add('a/b', 2);
    tree.add('#', 3);
    const seen: number[] = [];
    tree.match('a/b', (value, filter) => {
      seen.push(value);
      tree.delete(filter, value);
    });
    expect(seen.sort()).toEqual([1, 2, 3]);
    expect(tree.size).toBe(0);
  });

  it('matches a repeated topic the same way while the tree changes between and during matches', () => {
    const tree = new TopicTree<number>();
    tree.add('a/b', 1);
    tree.add('a/+', 2);
    tree.add('#', 3);
    // The second and later matches of one topic replay a cached walk.
    for (let i = 0; i < 3; i++) expect(matched(tree, 'a/b')).toEqual(['1 a/b', '2 a/+', '3 #']);
    tree.delete('a/+', 2);
    expect(matched(tree, 'a/b')).toEqual(['1 a/b', '3 #']);
    tree.add('a/#', 4);
    expect(matched(tree, 'a/b')).toEqual(['1 a/b', '3 #', '4 a/#']);
    expect(matched(tree, 'a/b')).toEqual(['1 a/b', '3 #', '4 a/#']);
    // A pair deleted from inside visit before its turn is not visited, on the cached path too.
    const seen: number[] = [];
    tree.match('a/b', (value) => {
      seen.push(value);
      for (const [filter, v] of [['a/b', 1], ['#', 3], ['a/#', 4]] as const) if (v !== value) tree.delete(filter, v);
    });
    expect(seen).toHaveLength(1);
    expect(tree.size).toBe(1);
  });

  it('routes among 10,000 filters', () => {
    const tree = new TopicTree<number>();
    for (let i = 0; i < 10000; i++) tree.add(`devices/${i}/+`, i);
    tree.add('devices/#', -1);
    expect(matched(tree, 'devices/4242/temp')).toEqual(['-1 devices/#', '4242 devices/4242/+']);
  });

  const level = fc.constantFrom('a', 'b', '', '$', '$SYS', 'é');
  const topicArb = fc.array(level, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('/'));
  const filterArb = fc
    .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([ls, hash, shared]) => (shared ? '$share/g/' : '') + (hash ? [...ls, '#'] : ls).join('/'))
    .filter((f) => f !== '' && f !== '$share/g/');
  const op = fc.record({ add: fc.boolean(), filter: filterArb, value: fc.integer({ min: 0, max: 3 }) });

  it('property: match() finds exactly what matches() finds over every stored filter', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(topicArb, { minLength: 1, maxLength: 10 }), (ops, topics) => {
        const tree = new TopicTree<number>();
        const model = new Map<string, Set<number>>();
        const check = (topic: string): void => {
          const expected: string[] = [];
          for (const [filter, values] of model) {
            if (matches(filter, topic)) for (const v of values) expected.push(`${v} ${filter}`);
          }
          expect(matched(tree, topic)).toEqual(expected.sort());
        };
        for (const [i, { add, filter, value }] of ops.entries()) {
          // Matching between changes (twice: the second replays a cached walk) checks the cache is never stale.
          check(topics[i % topics.length]!);
          check(topics[i % topics.length]!);
          if (add) {
            tree.add(filter, value);
            if (!model.has(filter)) model.set(filter, new Set());
            model.get(filter)!.add(value);
          } else {
            const had = model.get(filter)?.delete(value) ?? false;
            if (model.get(filter)?.size === 0) model.delete(filter);
            expect(tree.delete(filter, value)).toBe(had);
          }
        }
        expect(tree.size).toBe(model.size);
        expect([...tree.filters()].sort()).toEqual([...model.keys()].sort());
        for (const topic of topics) check(topic);
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { extractParams, parseNamedFilter, withParams, type NamedFilter } from '../../src/client/topic-params.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import { matches, validateTopicFilter } from '../../src/packets/topic.js';

function parsed(filter: string): NamedFilter {
  const result = parseNamedFilter(filter);
  if (result === undefined) throw new Error(`expected names in ${filter}`);
  return result;
}

describe('parseNamedFilter', () => {
  it.each([
    ['sensors/+room/temperature', 'sensors/+/temperature', [{ index: 1, name: 'room', rest: false }]],
    ['logs/#path', 'logs/#', [{ index: 1, name: 'path', rest: true }]],
    ['#all', '#', [{ index: 0, name: 'all', rest: true }]],
    ['+first', '+', [{ index: 0, name: 'first', rest: false }]],
    [
      'a/+room/b/#rest',
      'a/+/b/#',
      [
        { index: 1, name: 'room', rest: false },
        { index: 3, name: 'rest', rest: true },
      ],
    ],
    [
      'x/+/+_id/+/#',
      'x/+/+/+/#',
      [{ index: 2, name: '_id', rest: false }],
    ],
    ['a/+A9_z/b', 'a/+/b', [{ index: 1, name: 'A9_z', rest: false }]],
  ])('%s subscribes to %s', (filter, stripped, names) => {
    expect(parseNamedFilter(filter)).toEqual({ filter: stripped, names });
  });

  it('keeps a $share prefix in the filter and counts levels after it (MQTT-4.8.2-1)', () => {
    expect(parseNamedFilter('$share/group/sensors/+room/x')).toEqual({
      filter: '$share/group/sensors/+/x',
      names: [{ index: 1, name: 'room', rest: false }],
    });
    expect(parseNamedFilter('$share/g/#rest')).toEqual({
      filter: '$share/g/#',
      names: [{ index: 0, name: 'rest', rest: true }],
    });
  });

  it.each(['a/b', 'a/+/b', 'a/#', '+', '#', '+/+/#', '$share/g/a/+', '$SYS/#', '', 'a//b/'])(
    '%s names nothing: undefined',
    (filter) => {
      expect(parseNamedFilter(filter)).toBeUndefined();
    },
  );

  it('leaves wildcards inside a level to topic-filter validation (MQTT-4.7.1-3)', () => {
    expect(parseNamedFilter('a/b+c')).toBeUndefined();
    expect(validateTopicFilter('a/b+c')).toMatch(/MQTT-4\.7\.1-3/);
  });

  it('the stripped filter is a valid filter', () => {
    for (const filter of ['sensors/+room/temperature', 'logs/#path', '$share/group/sensors/+room/x', '+a/+b/#c']) {
      expect(validateTopicFilter(parsed(filter).filter)).toBeUndefined();
    }
  });

  it.each([
    ['a/+1room', '1room'],
    ['a/+room-1', 'room-1'],
    ['a/++', '+'],
    ['a/#x#', 'x#'],
    ['a/+ b', ' b'],
    ['a/+été', 'été'],
    ['a/+__proto__', '__proto__'],
  ])('%s: TypeError for the bad name %s, naming the filter', (filter, name) => {
    expect(() => parseNamedFilter(filter)).toThrow(TypeError);
    expect(() => parseNamedFilter(filter)).toThrow(JSON.stringify(filter));
    expect(() => parseNamedFilter(filter)).toThrow(JSON.stringify(name));
  });

  it.each(['a/+id/b/+id', 'a/+id/#id', '$share/g/+x/+x'])('%s: TypeError for a name given twice, naming the filter', (filter) => {
    expect(() => parseNamedFilter(filter)).toThrow(TypeError);
    expect(() => parseNamedFilter(filter)).toThrow(`${JSON.stringify(filter)} names the wildcard`);
  });

  it('MQTT-4.7.1-2: TypeError for a #name before the last level, naming the filter', () => {
    expect(() => parseNamedFilter('a/#rest/b')).toThrow(TypeError);
    expect(() => parseNamedFilter('a/#rest/b')).toThrow(/"a\/#rest\/b".*MQTT-4\.7\.1-2/);
  });

  it('a wildcard in the share name is not a named wildcard (left to validation, MQTT-4.8.2-1)', () => {
    expect(parseNamedFilter('$share/+g/a')).toBeUndefined();
  });
});

describe('extractParams', () => {
  it.each([
    ['sensors/+room/temperature', 'sensors/kitchen/temperature', { room: 'kitchen' }],
    ['logs/#path', 'logs/api/2024/05', { path: ['api', '2024', '05'] }],
    ['logs/#path', 'logs/api', { path: ['api'] }],
    ['a/+room/b/#rest', 'a/r1/b/c/d', { room: 'r1', rest: ['c', 'd'] }],
    ['+a/+/+c', 'x/y/z', { a: 'x', c: 'z' }],
    ['#all', 'x/y', { all: ['x', 'y'] }],
    ['#all', 'x', { all: ['x'] }],
    ['+first/#', 'x/y/z', { first: 'x' }],
    ['$share/group/sensors/+room/x', 'sensors/hall/x', { room: 'hall' }],
  ])('%s on %s', (filter, topic, params) => {
    expect(matches(filter.replace(/([+#])[A-Za-z_]\w*/g, '$1'), topic)).toBe(true);
    expect(extractParams(parsed(filter), topic)).toEqual(params);
  });

  it('#name matching the parent level gives []', () => {
    expect(matches('logs/#', 'logs')).toBe(true);
    expect(extractParams(parsed('logs/#path'), 'logs')).toEqual({ path: [] });
    expect(extractParams(parsed('a/+room/#rest'), 'a/r')).toEqual({ room: 'r', rest: [] });
  });

  it('#name matching one empty level gives [""], not []', () => {
    expect(extractParams(parsed('logs/#path'), 'logs/')).toEqual({ path: [''] });
    expect(extractParams(parsed('logs/#path'), 'logs//x/')).toEqual({ path: ['', 'x', ''] });
  });

  it("+name matching an empty level gives ''", () => {
    expect(matches('a/+/b', 'a//b')).toBe(true);
    expect(extractParams(parsed('a/+mid/b'), 'a//b')).toEqual({ mid: '' });
    expect(extractParams(parsed('+first/x'), '/x')).toEqual({ first: '' });
    expect(extractParams(parsed('x/+last'), 'x/')).toEqual({ last: '' });
  });

  it('keeps non-ASCII levels whole', () => {
    expect(extractParams(parsed('+city/#rest'), 'Zürich/€/🌡')).toEqual({ city: 'Zürich', rest: ['€', '🌡'] });
  });

  it('a parsed filter is reused across topics without state', () => {
    const filter = parsed('s/+room/#rest');
    expect(extractParams(filter, 's/a/1/2')).toEqual({ room: 'a', rest: ['1', '2'] });
    expect(extractParams(filter, 's/b')).toEqual({ room: 'b', rest: [] });
    expect(extractParams(filter, 's/c/')).toEqual({ room: 'c', rest: [''] });
  });

  it('returns a fresh object each time (a stream may keep it)', () => {
    const filter = parsed('a/+x');
    const one = extractParams(filter, 'a/1');
    const two = extractParams(filter, 'a/1');
    expect(one).not.toBe(two);
    expect(Object.getPrototypeOf(one)).toBe(Object.prototype);
  });
});

describe('withParams', () => {
  const payload = new Uint8Array([1, 2]);

  it('copies every field of the message and adds params, leaving the message alone', () => {
    const message = { topic: 'a/1', payload, qos: 1 as const, retain: true, dup: true };
    const copy = withParams(message, parsed('a/+x'));
    expect(copy).toEqual({ topic: 'a/1', payload, qos: 1, retain: true, dup: true, params: { x: '1' } });
    expect(copy.payload).toBe(payload);
    expect('properties' in copy).toBe(false);
    expect('params' in message).toBe(false);
  });

  it('keeps MQTT 5 properties (the same object)', () => {
    const properties = { contentType: 'text/plain', userProperties: { k: 'v' } };
    const copy = withParams({ topic: 'a/1', payload, qos: 0, retain: false, dup: false, properties }, parsed('#all'));
    expect(copy.properties).toBe(properties);
    expect(copy.params).toEqual({ all: ['a', '1'] });
  });

  it('has every field MqttMessage has (a field added there must be copied here)', () => {
    const full: Required<MqttMessage> = { topic: 't', payload, qos: 2, retain: false, dup: false, properties: {} };
    expect(Object.keys(withParams(full, parsed('+x'))).sort()).toEqual([...Object.keys(full), 'params'].sort());
  });
});

describe('extractParams against a split-based reference', () => {
  const level = fc.stringMatching(/^[a-z€]{0,3}$/);
  // A topic, and a filter over it: each level kept literally, as `+name`, or (last) `#name`
  // covering the rest; `#name` may also stand one level past the topic's end.
  const cases = fc
    .record({
      levels: fc.array(level, { minLength: 1, maxLength: 6 }),
      kinds: fc.array(fc.constantFrom('literal', 'plus'), { minLength: 6, maxLength: 6 }),
      hashAt: fc.option(fc.nat(6)),
    })
    .map(({ levels, kinds, hashAt }) => {
      const cut = hashAt === null ? levels.length : Math.min(hashAt, levels.length);
      const parts = levels.slice(0, cut).map((l, i) => (kinds[i] === 'plus' ? `+p${i}` : l));
      const expected: Record<string, string | string[]> = {};
      levels.slice(0, cut).forEach((l, i) => {
        if (kinds[i] === 'plus') expected[`p${i}`] = l;
      });
      if (hashAt !== null) {
        parts.push('#rest');
        expected.rest = levels.slice(cut);
      }
      return { filter: parts.join('/'), topic: levels.join('/'), expected };
    });

  it('agrees on every matching topic', () => {
    fc.assert(
      fc.property(cases, ({ filter, topic, expected }) => {
        const result = parseNamedFilter(filter);
        if (result === undefined) return Object.keys(expected).length === 0;
        expect(matches(result.filter, topic)).toBe(true);
        expect(extractParams(result, topic)).toEqual(expected);
        return true;
      }),
    );
  });
});

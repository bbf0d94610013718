import fc from 'fast-check';
import {
  matches,
  parseSharedFilter,
  validateTopicFilter,
  validateTopicName,
} from '../../src/packets/topic.js';

/** Reference matcher: the filter compiled to a regular expression, levels split the obvious way. */
function regexMatches(filter: string, topic: string): boolean {
  const f = parseSharedFilter(filter).filter;
  const levels = f.split('/');
  if (topic.startsWith('$') && (levels[0] === '+' || levels[0] === '#')) return false; // MQTT-4.7.2-1
  let source = '';
  levels.forEach((level, i) => {
    if (level === '#') {
      source += i === 0 ? '.*' : '(?:/.*)?';
    } else {
      source += (i > 0 ? '/' : '') + (level === '+' ? '[^/]*' : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
  });
  return new RegExp(`^${source}$`, 's').test(topic);
}

const level = fc.constantFrom('a', 'b', 'ab', '', '$', '$SYS', 'é', 'x y');
const topicArb = fc.array(level, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('/'));
const filterArb = fc
  .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([ls, hash]) => (hash ? [...ls, '#'] : ls).join('/'))
  .filter((f) => f !== '')
  .chain((f) => fc.constantFrom(f, '#', '+', `$share/g/${f}`));
/** A filter made from a topic: some levels replaced by `+`, maybe cut short with `#`. */
const derivedArb = topicArb.chain((topic) => {
  const ls = topic.split('/');
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: ls.length, maxLength: ls.length }), fc.integer({ min: 0, max: ls.length + 1 }))
    .map(([plus, cut]) => {
      const f = ls.map((l, i) => (plus[i] ? '+' : l));
      const filter = cut > ls.length ? f.join('/') : [...f.slice(0, cut), '#'].join('/');
      return { topic, filter };
    })
    .filter(({ filter }) => filter !== '');
});

describe('matches', () => {
  it.each([
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
    ['sport/#', 'sport', true],
    ['#', 'sport/tennis', true],
    ['#', '/', true],
    ['sport/tennis/+', 'sport/tennis/player1', true],
    ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
    ['sport/+', 'sport', false],
    ['sport/+', 'sport/', true],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['+', '', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/bc', false],
    ['a/bc', 'a/b', false],
    ['a/b', 'a/b/', false],
    ['a/b/', 'a/b', false],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true],
    ['a/#', 'ab', false],
    ['A', 'a', false],
    ['', 'a', false],
  ])('%j matches %j: %s', (filter, topic, expected) => {
    expect(matches(filter, topic)).toBe(expected);
  });

  it.each([
    ['#', '$SYS/uptime', false],
    ['+/monitor/Clients', '$SYS/monitor/Clients', false],
    ['$SYS/#', '$SYS/monitor/Clients', true],
    ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
    ['$share/g/#', '$SYS/x', false],
    ['a/#', 'a/$SYS', true],
  ])('MQTT-4.7.2-1: %j matches %j: %s', (filter, topic, expected) => {
    expect(matches(filter, topic)).toBe(expected);
  });

  it.each([
    ['$share/group/a/+', 'a/b', true],
    ['$share/group/#', 'x/y', true],
    ['$share/group/a', 'a', true],
    ['$share/group/a', '$share/group/a', false],
  ])('strips the $share prefix: %j matches %j: %s', (filter, topic, expected) => {
    expect(matches(filter, topic)).toBe(expected);
  });

  it('compares "+" and "#" that do not fill a level as plain characters', () => {
    expect(matches('a+', 'a+')).toBe(true);
    expect(matches('a+', 'ab')).toBe(false);
    expect(matches('#/a', '#/a')).toBe(true);
    expect(matches('#/a', 'b/a')).toBe(false);
  });

  it('property: a topic always matches itself', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !/[+#]/.test(s) && !s.startsWith('$share/')),
        (topic) => matches(topic, topic),
      ),
    );
  });

  it('property: "#" matches every topic not starting with "$", and none that does', () => {
    fc.assert(fc.property(fc.string(), (topic) => matches('#', topic) === !topic.startsWith('$')));
  });

  it('property: agrees with a regular-expression reference on random filters', () => {
    fc.assert(fc.property(filterArb, topicArb, (filter, topic) => matches(filter, topic) === regexMatches(filter, topic)), {
      numRuns: 5000,
    });
  });

  it('property: a filter derived from a topic matches it (unless it hides a $ level 0)', () => {
    fc.assert(
      fc.property(derivedArb, ({ topic, filter }) => {
        expect(matches(filter, topic)).toBe(regexMatches(filter, topic));
        const wildFirst = filter.startsWith('+') || filter.startsWith('#');
        expect(matches(filter, topic)).toBe(!(topic.startsWith('$') && wildFirst));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseSharedFilter', () => {
  it.each([
    ['$share/workers/jobs/+', { group: 'workers', filter: 'jobs/+' }],
    ['$share/g/#', { group: 'g', filter: '#' }],
    ['$share/g/', { group: 'g', filter: '' }],
    ['$share//a', { group: '', filter: 'a' }],
    ['$share/g', { filter: '$share/g' }],
    ['$share', { filter: '$share' }],
    ['jobs/+', { filter: 'jobs/+' }],
    ['$SYS/#', { filter: '$SYS/#' }],
  ])('%j → %j', (input, expected) => {
    expect(parseSharedFilter(input)).toStrictEqual(expected);
  });
});

describe('validateTopicName', () => {
  it.each(['a', 'a/b', '/', '//', '$SYS/x', 'a b/é/😀', 'x'.repeat(65535), '€'.repeat(21845)])(
    'accepts %j',
    (topic) => {
      expect(validateTopicName(topic)).toBeUndefined();
    },
  );

  it.each([
    ['', /empty.*MQTT-4\.7\.3-1/],
    ['a/+', /"a\/\+".*wildcard "\+".*MQTT-3\.3\.2-2/],
    ['a/#', /wildcard "#".*MQTT-3\.3\.2-2/],
    ['a+b', /wildcard "\+".*MQTT-3\.3\.2-2/],
    ['a\u0000b', /U\+0000.*MQTT-4\.7\.3-2/],
    ['x'.repeat(65536), /65536 UTF-8 bytes.*MQTT-4\.7\.3-3/],
    ['€'.repeat(21846), /65538 UTF-8 bytes.*MQTT-4\.7\.3-3/],
    ['😀'.repeat(16384), /65536 UTF-8 bytes.*MQTT-4\.7\.3-3/],
    ['a\ud800', /lone surrogate.*MQTT-1\.5\.4-1/],
    ['\udc00a', /lone surrogate.*MQTT-1\.5\.4-1/],
  ])('rejects %#: %s', (topic, message) => {
    expect(validateTopicName(topic)).toMatch(message);
  });

  it('shortens a long topic in the message', () => {
    expect(validateTopicName('x'.repeat(70000))!.length).toBeLessThan(200);
  });
});

describe('validateTopicFilter', () => {
  it.each([
    '#',
    '+',
    'a/#',
    'a/+/b',
    '+/+',
    '/+',
    '+/',
    '/#',
    'a//b',
    '$SYS/#',
    '$share/g/a/#',
    '$share/g/+',
    '$share/g/$SYS/x',
    '$share',
    'x'.repeat(65535),
  ])('accepts %j', (filter) => {
    expect(validateTopicFilter(filter)).toBeUndefined();
  });

  it.each([
    ['', /empty.*MQTT-4\.7\.3-1/],
    ['a/#/b', /"#" before its last level.*MQTT-4\.7\.1-2/],
    ['#/', /"#" before its last level.*MQTT-4\.7\.1-2/],
    ['a#', /"#" sharing a level.*MQTT-4\.7\.1-2/],
    ['a/b#', /"#" sharing a level.*MQTT-4\.7\.1-2/],
    ['a+', /"\+" sharing a level.*MQTT-4\.7\.1-3/],
    ['+a/b', /"\+" sharing a level.*MQTT-4\.7\.1-3/],
    ['a/++', /"\+" sharing a level.*MQTT-4\.7\.1-3/],
    ['a\u0000', /U\+0000.*MQTT-4\.7\.3-2/],
    ['x'.repeat(65536), /65536 UTF-8 bytes.*MQTT-4\.7\.3-3/],
    ['a/\udbff', /lone surrogate.*MQTT-1\.5\.4-1/],
    ['$share//a', /empty share name.*MQTT-4\.8\.2-1/],
    ['$share/', /empty share name.*MQTT-4\.8\.2-1/],
    ['$share/g+/a', /"\+" in its share name.*MQTT-4\.8\.2-1/],
    ['$share/#/a', /"#" in its share name.*MQTT-4\.8\.2-1/],
    ['$share/g', /no topic filter.*MQTT-4\.8\.2-2/],
    ['$share/g/', /no topic filter.*MQTT-4\.8\.2-2/],
    ['$share/g/a#', /"#" sharing a level.*MQTT-4\.7\.1-2/],
    ['$share/g/a+', /"\+" sharing a level.*MQTT-4\.7\.1-3/],
  ])('rejects %j', (filter, message) => {
    expect(validateTopicFilter(filter)).toMatch(message);
  });

  it('property: every filter the generator makes from valid levels is valid', () => {
    fc.assert(fc.property(filterArb, (filter) => validateTopicFilter(filter) === undefined));
  });

  it('property: a valid topic name without a $share prefix is a valid filter', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        if (validateTopicName(s) === undefined && !s.startsWith('$share/')) {
          expect(validateTopicFilter(s)).toBeUndefined();
        }
      }),
    );
  });
});

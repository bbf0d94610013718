import fc from 'fast-check';
import { OutgoingAliases } from '../../src/protocol/outgoing-aliases.js';

describe('OutgoingAliases', () => {
  it('hands out 1..maximum, then takes the alias of the least recently used topic', () => {
    const a = new OutgoingAliases(2);
    expect([a.known('x'), a.assign('x')]).toEqual([0, 1]);
    expect([a.known('y'), a.assign('y')]).toEqual([0, 2]);
    expect(a.known('x')).toBe(1); // x is now the most recent
    expect([a.known('z'), a.assign('z')]).toEqual([0, 2]); // y gives 2 up
    expect(a.known('y')).toBe(0);
    expect(a.known('x')).toBe(1);
  });

  it('an alias bound by the application takes the alias from whatever topic had it', () => {
    const a = new OutgoingAliases(3);
    a.assign('x'); // 1
    a.bind(1, 'mine');
    expect(a.known('x')).toBe(0);
    expect(a.known('mine')).toBe(1);
  });

  // The server's table is what the PUBLISHes sent built: topic + alias binds, alias alone resolves.
  it('MQTT-3.2.2-17: whatever the sequence, an alias sent alone names the right topic at the server, and never exceeds the maximum', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('publish' as const), topic: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('bind' as const), topic: fc.integer({ min: 0, max: 12 }), alias: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 200 }), (maximum, ops) => {
        const aliases = new OutgoingAliases(maximum);
        const server = new Map<number, string>();
        for (const o of ops) {
          const topic = `t${o.topic}`;
          if (o.kind === 'bind') {
            if (o.alias > maximum) continue;
            aliases.bind(o.alias, topic);
            server.set(o.alias, topic);
            continue;
          }
          const known = aliases.known(topic);
          if (known !== 0) {
            if (server.get(known) !== topic) return false;
            continue;
          }
          const alias = aliases.assign(topic);
          if (alias < 1 || alias > maximum) return false;
          server.set(alias, topic);
        }
        return true;
      }),
    );
  });
});

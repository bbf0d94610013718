import { qos0Run, qos1Run } from '../../bench/support/slow-subscriber-run.js';

// A consumer taking 10 ms per message against a faster publisher, in virtual time;
// the figures are counts (bench/slow-subscriber.ts prints them for 10,000 messages).
describe('slow subscribers: bounded memory', () => {
  it('QoS 1 with auto ack: the application holds every message the broker sends', () => {
    const r = qos1Run({ n: 500, window: 10, delay: 10, manual: false });
    expect(r).toMatchObject({ maxHeld: 500, consumed: 500 });
  });

  it('QoS 1 with manual ack: the application holds at most Receive Maximum messages, none lost, same pace', () => {
    for (const window of [1, 10, 50]) {
      const r = qos1Run({ n: 500, window, delay: 10, manual: true });
      expect(r).toEqual({ maxHeld: window, consumed: 500, dropped: 0, maxBrokerInflight: window, ms: 5010 });
    }
  });

  it('QoS 0 with a plain concatMap: the waiting line grows with the backlog', () => {
    const r = qos0Run({ n: 500, delay: 10 });
    expect(r).toMatchObject({ maxHeld: 451, consumed: 500, dropped: 0 });
  });

  it("QoS 0 with bounded(): at most size + 1 in progress + the arriving one; every drop counted", () => {
    for (const drop of ['oldest', 'newest'] as const) {
      const r = qos0Run({ n: 500, delay: 10, size: 20, drop });
      expect(r.maxHeld).toBe(22);
      expect(r.consumed + r.dropped).toBe(500);
      expect(r).toMatchObject({ consumed: 70, dropped: 430 });
    }
  });
});

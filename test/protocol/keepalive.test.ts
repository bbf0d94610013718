import { Keepalive } from '../../src/protocol/keepalive.js';

describe('Keepalive', () => {
  it('off when the period is 0: no timer', () => {
    expect(new Keepalive().connected(0, 5)).toBeUndefined();
  });

  it('the first deadline counts from the last packet sent (the CONNECT)', () => {
    const keepalive = new Keepalive();
    keepalive.sent(1_000);
    expect(keepalive.connected(10_000, 3_000)).toBe(8_000);
    expect(keepalive.period).toBe(10_000);
  });

  it('never a negative delay: a deadline already past fires at once', () => {
    const keepalive = new Keepalive();
    expect(keepalive.connected(1_000, 5_000)).toBe(0);
  });

  it('MQTT-3.1.2-23 / MQTT-3.1.2-20: a packet sent since pushes the PINGREQ back; a period of silence asks for one', () => {
    const keepalive = new Keepalive();
    keepalive.connected(10_000, 0);
    keepalive.sent(4_000);
    expect(keepalive.fired(10_000)).toBe(4_000);
    expect(keepalive.fired(14_000)).toBe('ping');
  });

  it('a PINGREQ without PINGRESP within one more period: lost', () => {
    const keepalive = new Keepalive();
    keepalive.connected(10_000, 0);
    expect(keepalive.fired(10_000)).toBe('ping');
    keepalive.sent(10_000); // the PINGREQ
    expect(keepalive.fired(20_000)).toBe('lost');
  });

  it('a PINGRESP ends the wait: the next deadline counts from the last packet sent', () => {
    const keepalive = new Keepalive();
    keepalive.connected(10_000, 0);
    expect(keepalive.fired(10_000)).toBe('ping');
    keepalive.sent(10_000);
    expect(keepalive.pingresp(11_000)).toBe(9_000);
    expect(keepalive.fired(20_000)).toBe('ping');
  });

  it('a PINGRESP no PINGREQ asked for is ignored', () => {
    const keepalive = new Keepalive();
    keepalive.connected(10_000, 0);
    expect(keepalive.pingresp(1_000)).toBeUndefined();
    expect(keepalive.fired(10_000)).toBe('ping');
    keepalive.sent(10_000);
    expect(keepalive.pingresp(10_500)).toBe(9_500);
    expect(keepalive.pingresp(10_600)).toBeUndefined(); // answered already
  });

  it('the end of the connection, or a new one, forgets an outstanding PINGREQ', () => {
    const keepalive = new Keepalive();
    keepalive.connected(10_000, 0);
    expect(keepalive.fired(10_000)).toBe('ping');
    keepalive.stopped();
    expect(keepalive.pingresp(10_500)).toBeUndefined();
    expect(keepalive.fired(20_000)).toBe('ping');
    keepalive.connected(10_000, 20_000);
    expect(keepalive.pingresp(20_500)).toBeUndefined();
  });
});

import type { ReconnectPolicy } from '../../src/protocol/backoff.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';
import { ReconnectAttempts } from '../../src/protocol/reconnect-attempts.js';

const policy: ReconnectPolicy = { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0 };
const lost = new Error('lost');
const moved = new MqttConnectionError('moved', 0x9c, undefined, { serverReference: 'b:1883' });

describe('ReconnectAttempts', () => {
  it('backs off per failure, and starts over after a successful connection', () => {
    const a = new ReconnectAttempts(false, () => 0.5);
    expect([a.failed(lost, policy), a.failed(lost, policy), a.failed(lost, policy)]).toEqual([1000, 2000, 4000]);
    expect(a.failures).toBe(3);
    a.connected();
    expect(a.failures).toBe(0);
    expect(a.failed(lost, policy)).toBe(1000);
  });

  it('MQTT 5 §4.11: a Server Reference is followed at once, given to the next attempt only', () => {
    const a = new ReconnectAttempts(true, () => 0.5);
    expect(a.failed(moved, policy)).toBe(0);
    expect(a.take()).toEqual({ reference: 'b:1883', permanent: false });
    expect(a.take()).toBeUndefined();
    // Redirects followed do not lengthen the backoff.
    expect(a.failed(lost, policy)).toBe(1000);
  });

  it('at most 5 redirects between successful connections, then backoff', () => {
    const a = new ReconnectAttempts(true, () => 0.5);
    for (let i = 0; i < 5; i++) expect(a.failed(moved, policy)).toBe(0);
    expect(a.failed(moved, policy)).toBe(1000);
    a.connected();
    expect(a.failed(moved, policy)).toBe(0);
  });

  it('a reference the client cannot connect to is a plain failure: backoff, no redirect', () => {
    const a = new ReconnectAttempts(true, () => 0.5, (reference) => reference !== 'b:1883');
    expect(a.failed(moved, policy)).toBe(1000);
    expect(a.take()).toBeUndefined();
  });

  it('not followed when followRedirects is off', () => {
    const a = new ReconnectAttempts(false, () => 0.5);
    expect(a.failed(moved, policy)).toBe(1000);
    expect(a.take()).toBeUndefined();
  });
});

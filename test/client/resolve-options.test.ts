import { of } from 'rxjs';
import { parseBrokerUrl } from '../../src/client/broker-url.js';
import { resolveOptions } from '../../src/client/resolve-options.js';

const broker = parseBrokerUrl('mqtt://user:secret@h');
const size = () => 0;

describe('resolveOptions', () => {
  it('applies the defaults of API.md', () => {
    const c = resolveOptions({ random: () => 0 }, parseBrokerUrl('mqtt://h'), size);
    expect(c).toMatchObject({
      protocolVersion: 4,
      clientId: 'rxmqtt_aaaaaaaa',
      clean: true,
      keepalive: 60,
      connectTimeout: 30000,
      reconnect: { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0.2 },
      maxPacketSize: 268435455,
      queueLimit: 10000,
    });
    expect(c.maxInflight).toBeUndefined();
    expect(c.username).toBeUndefined();
  });

  it('generates a client id of rxmqtt_ and 8 characters', () => {
    expect(resolveOptions({}, broker, size).clientId).toMatch(/^rxmqtt_[a-z0-9]{8}$/);
  });

  it('takes credentials from the URL, the options winning; a string password becomes UTF-8', () => {
    const fromUrl = resolveOptions({}, broker, size);
    expect([fromUrl.username, fromUrl.password]).toEqual(['user', new TextEncoder().encode('secret')]);
    const fromOptions = resolveOptions({ username: 'o', password: new Uint8Array([1]) }, broker, size);
    expect([fromOptions.username, fromOptions.password]).toEqual(['o', new Uint8Array([1])]);
  });

  it('converts the will and keeps its MQTT 5 properties in 5 only', () => {
    const will = { topic: 'w', payload: 'bye', qos: 1 as const, properties: { willDelayInterval: 5 } };
    expect(resolveOptions({ will, protocolVersion: 5 }, broker, size).will).toEqual({
      topic: 'w',
      payload: new TextEncoder().encode('bye'),
      qos: 1,
      retain: false,
      properties: { willDelayInterval: 5 },
    });
    expect(resolveOptions({ will }, broker, size).will).not.toHaveProperty('properties');
  });

  it('rejects bad options naming them', () => {
    expect(() => resolveOptions({ keepalive: 70000 }, broker, size)).toThrow(/keepalive/);
    expect(() => resolveOptions({ protocolVersion: 6 as 5 }, broker, size)).toThrow(/protocolVersion/);
    expect(() => resolveOptions({ maxInflight: 0 }, broker, size)).toThrow(/maxInflight/);
    expect(() => resolveOptions({ reconnect: { jitter: 2 } }, broker, size)).toThrow(/jitter/);
    expect(() => resolveOptions({ will: { topic: 'a/#', payload: '' } }, broker, size)).toThrow(TypeError);
  });

  it('refuses a CONNECT that cannot be encoded (it would fail at every attempt): bad properties or will properties', () => {
    const bad = <T>(value: unknown): T => value as T;
    for (const options of [
      { protocolVersion: 5 as const, properties: { userProperties: { a: bad<string>(5) } } },
      { protocolVersion: 5 as const, properties: { receiveMaximum: 0 } },
      { protocolVersion: 5 as const, will: { topic: 'w', payload: 'x', properties: { contentType: bad<string>(5) } } },
    ]) {
      expect(() => resolveOptions(options, {}, () => 0)).toThrow(/^the CONNECT cannot be encoded: /);
    }
    expect(() => resolveOptions({ protocolVersion: 5, properties: { userProperties: { a: 'b' } } }, {}, () => 0)).not.toThrow();
  });

  it('reconnect: false stays false; partial policies are completed', () => {
    expect(resolveOptions({ reconnect: false }, broker, size).reconnect).toBe(false);
    expect(resolveOptions({ reconnect: { maxDelay: 5000 } }, broker, size).reconnect).toEqual({
      initialDelay: 1000,
      maxDelay: 5000,
      factor: 2,
      jitter: 0.2,
    });
  });

  it('an initialDelay above the default maxDelay raises the cap when no maxDelay is given', () => {
    expect(resolveOptions({ reconnect: { initialDelay: 60000 } }, broker, size).reconnect).toMatchObject({
      initialDelay: 60000,
      maxDelay: 60000,
    });
    expect(() => resolveOptions({ reconnect: { initialDelay: 60000, maxDelay: 1000 } }, broker, size)).toThrow(
      /initialDelay/,
    );
  });

  describe('MQTT 3.1 client identifier: 1 to 23 characters (3.1 §3.1 CONNECT payload)', () => {
    it('accepts 23 and the generated default (rxmqtt_ + 8 = 15)', () => {
      expect(resolveOptions({ protocolVersion: 3, clientId: 'a'.repeat(23) }, broker, size).clientId).toHaveLength(23);
      expect(resolveOptions({ protocolVersion: 3 }, broker, size).clientId).toMatch(/^rxmqtt_[a-z0-9]{8}$/);
    });

    it('refuses 24, or an empty one, with a TypeError naming clientId, before connecting', () => {
      expect(() => resolveOptions({ protocolVersion: 3, clientId: 'a'.repeat(24) }, broker, size)).toThrow(TypeError);
      expect(() => resolveOptions({ protocolVersion: 3, clientId: 'a'.repeat(24) }, broker, size)).toThrow(/^clientId must have 1 to 23 characters in MQTT 3.1/);
      expect(() => resolveOptions({ protocolVersion: 3, clientId: '' }, broker, size)).toThrow(/^clientId/);
    });

    it('counts the bytes of the encoded identifier', () => {
      expect(() => resolveOptions({ protocolVersion: 3, clientId: 'é'.repeat(12) }, broker, size)).toThrow(/24 bytes/);
    });

    it('MQTT 3.1.1 and 5 allow longer and empty identifiers', () => {
      for (const protocolVersion of [4, 5] as const) {
        expect(resolveOptions({ protocolVersion, clientId: 'a'.repeat(24) }, broker, size).clientId).toHaveLength(24);
        expect(resolveOptions({ protocolVersion, clientId: '' }, broker, size).clientId).toBe('');
      }
    });
  });

  it('leaves credentials given as functions to the client (asked per attempt)', () => {
    const c = resolveOptions({ username: () => of('u'), password: () => of('p') }, broker, size);
    expect([c.username, c.password]).toEqual([undefined, undefined]);
    expect(resolveOptions({ followRedirects: true }, broker, size).followRedirects).toBe(true);
  });
});

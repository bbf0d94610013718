import { parseBrokerUrl } from '../../src/client/broker-url.js';

describe('parseBrokerUrl', () => {
  it.each([
    ['mqtt://h', 'mqtt://h:1883'],
    ['tcp://h', 'tcp://h:1883'],
    ['mqtts://h', 'mqtts://h:8883'],
    ['tls://h', 'tls://h:8883'],
    ['ws://h', 'ws://h/mqtt'],
    ['wss://h', 'wss://h/mqtt'],
    ['ws://h:9001/custom', 'ws://h:9001/custom'],
    ['mqtt://h:1884', 'mqtt://h:1884'],
    ['mqtt://[::1]', 'mqtt://[::1]:1883'],
  ])('%s → %s', (input, href) => {
    expect(parseBrokerUrl(input).url.href).toBe(href);
  });

  it('takes percent-decoded credentials out of the URL', () => {
    const b = parseBrokerUrl('mqtt://us%40er:p%3Ass@h');
    expect([b.username, b.password, b.url.href]).toEqual(['us@er', 'p:ss', 'mqtt://h:1883']);
  });

  it('refuses unknown schemes unless a transport is given', () => {
    expect(() => parseBrokerUrl('http://h')).toThrow(TypeError);
    expect(parseBrokerUrl('memory://broker', true).url.href).toBe('memory://broker');
    expect(() => parseBrokerUrl('not a url')).toThrow(TypeError);
  });
});

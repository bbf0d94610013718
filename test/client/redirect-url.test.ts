import { redirectUrl } from '../../src/client/redirect-url.js';

const from = (href: string, reference: string): string | undefined => redirectUrl(reference, new URL(href))?.href;

describe('redirectUrl (Server Reference, MQTT 5 §4.11)', () => {
  it('host:port keeps the scheme, path and query of the current server', () => {
    expect(from('mqtt://10.0.0.1:1883', '10.0.0.2:1884')).toBe('mqtt://10.0.0.2:1884');
    expect(from('wss://a.example/mqtt?x=1', 'b.example:8443')).toBe('wss://b.example:8443/mqtt?x=1');
    expect(from('mqtt://10.0.0.1:1883', '[fe80::1]:1883')).toBe('mqtt://[fe80::1]:1883');
  });

  it('a host alone takes the default port of the scheme (left to parseBrokerUrl)', () => {
    expect(from('mqtt://a:11883', 'b.example')).toBe('mqtt://b.example');
    expect(from('ws://a:8080/mqtt', 'b.example')).toBe('ws://b.example/mqtt');
  });

  it('a full URL is taken as it is', () => {
    expect(from('mqtt://a:1883', 'mqtts://b:8884')).toBe('mqtts://b:8884');
    expect(from('mqtt://a:1883', 'ws://b/mqtt')).toBe('ws://b/mqtt');
  });

  it('a list: entries the client cannot open (accepts says no) are skipped', () => {
    const noHttp = (url: URL): boolean => url.protocol !== 'http:';
    expect(redirectUrl('http://x mqtt://z:1999', new URL('mqtt://a'), noHttp)?.href).toBe('mqtt://z:1999');
    expect(redirectUrl('http://x', new URL('mqtt://a'), noHttp)).toBeUndefined();
  });

  it('a space-separated list: the first usable entry', () => {
    expect(from('mqtt://a:1883', '10.10.151.22:8883 [fe80::9610:3eff:fe1c]:1883')).toBe('mqtt://10.10.151.22:8883');
    expect(from('mqtt://a:1883', 'b:99999 c:1')).toBe('mqtt://c:1');
  });

  it('refuses what it cannot use: garbage, credentials or a path in a host reference, TLS to plain', () => {
    expect(from('mqtt://a:1883', 'b:99999')).toBeUndefined();
    expect(from('mqtt://a:1883', 'u:p@b')).toBeUndefined();
    expect(from('mqtt://a:1883', 'b/x')).toBeUndefined();
    expect(from('mqtts://a', 'mqtt://b')).toBeUndefined();
    expect(from('wss://a/mqtt', 'ws://b/mqtt')).toBeUndefined();
    expect(from('mqtts://a', 'tls://b')).toBe('tls://b');
  });
});

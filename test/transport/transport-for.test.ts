import { Socket } from 'node:net';
import { transportFor } from '../../src/transport/transport-for.node.js';
import { transportFor as browserTransportFor } from '../../src/transport/transport-for.js';

describe('transportFor (Node)', () => {
  it.each(['mqtt:', 'tcp:', 'mqtts:', 'tls:', 'ws:', 'wss:'])('has a transport for %s', (scheme) => {
    expect(typeof transportFor(new URL(`${scheme}//127.0.0.1`))).toBe('function');
  });

  it('throws a TypeError naming an unsupported scheme', () => {
    expect(() => transportFor(new URL('http://127.0.0.1'))).toThrow(new TypeError('url scheme "http:" is not supported (mqtt:, tcp:, mqtts:, tls:, ws:, wss:)'));
  });

  it('passes noDelay on to the TCP transport', () => {
    const setNoDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    // Port 1 on loopback: refused at once; the socket is created (and noDelay set) on subscribe.
    const url = new URL('mqtt://127.0.0.1:1');
    const subscription = transportFor(url, { noDelay: false })(url).subscribe({ error: () => undefined });
    expect(setNoDelay).toHaveBeenCalledWith(false);
    subscription.unsubscribe();
    setNoDelay.mockRestore();
  });
});

describe('transportFor (browser)', () => {
  it.each(['ws:', 'wss:'])('has a transport for %s', (scheme) => {
    expect(typeof browserTransportFor(new URL(`${scheme}//127.0.0.1`))).toBe('function');
  });

  it.each(['mqtt:', 'tcp:', 'mqtts:', 'tls:'])('throws a TypeError naming %s', (scheme) => {
    expect(() => browserTransportFor(new URL(`${scheme}//127.0.0.1`))).toThrow(TypeError);
    expect(() => browserTransportFor(new URL(`${scheme}//127.0.0.1`))).toThrow(scheme);
  });
});

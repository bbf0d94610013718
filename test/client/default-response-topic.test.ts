import { defaultResponseTopic } from '../../src/client/default-response-topic.js';
import type { ConnackPacket, ConnackProperties } from '../../src/packets/packet.js';

function connack(properties?: ConnackProperties): ConnackPacket {
  return properties === undefined
    ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 }
    : { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties };
}

describe('defaultResponseTopic', () => {
  it('is rx-mqtt/response/<clientId> without Response Information', () => {
    expect(defaultResponseTopic(connack(), 'lamp-1')).toBe('rx-mqtt/response/lamp-1');
  });

  it('uses the id the server assigned (MQTT 5 CONNACK), else the fallback', () => {
    expect(defaultResponseTopic(connack({ assignedClientIdentifier: 'auto-7' }), '')).toBe('rx-mqtt/response/auto-7');
    expect(defaultResponseTopic(connack(), '', 'x1y2')).toBe('rx-mqtt/response/x1y2');
  });

  it('turns wildcards of a client id into _ (MQTT-3.3.2-14: a response topic has none)', () => {
    expect(defaultResponseTopic(connack(), 'a+b#c')).toBe('rx-mqtt/response/a_b_c');
  });

  it('goes below the server\'s Response Information when there is one', () => {
    expect(defaultResponseTopic(connack({ responseInformation: 'clients/42' }), 'me')).toBe('clients/42/rx-mqtt/response');
    expect(defaultResponseTopic(connack({ responseInformation: 'clients/42/' }), 'me')).toBe('clients/42/rx-mqtt/response');
  });

  it('passes over Response Information that makes no topic name (empty, or with a wildcard)', () => {
    expect(defaultResponseTopic(connack({ responseInformation: '' }), 'me')).toBe('rx-mqtt/response/me');
    expect(defaultResponseTopic(connack({ responseInformation: 'clients/+' }), 'me')).toBe('rx-mqtt/response/me');
  });
});

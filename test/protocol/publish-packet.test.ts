import { publishPacket } from '../../src/protocol/publish-packet.js';
import type { PublishRequest } from '../../src/protocol/publish-request.js';

const payload = new Uint8Array([1, 2]);
const request = (qos: 0 | 1 | 2, properties?: PublishRequest['properties']): PublishRequest =>
  properties === undefined ? { topic: 'a/b', payload, qos, retain: true } : { topic: 'a/b', payload, qos, retain: true, properties };

describe('publishPacket', () => {
  it('QoS 0: no packet identifier (MQTT-2.2.1-2), DUP clear', () => {
    const packet = publishPacket(request(0), 5, undefined);
    expect(packet).toEqual({ cmd: 'publish', topic: 'a/b', payload, qos: 0, dup: false, retain: true });
    expect('messageId' in packet).toBe(false);
  });

  it('QoS 1/2: the packet identifier given', () => {
    expect(publishPacket(request(2), 4, 9)).toEqual({ cmd: 'publish', topic: 'a/b', payload, qos: 2, dup: false, retain: true, messageId: 9 });
  });

  it('properties in MQTT 5 only', () => {
    const properties = { contentType: 'text/plain' };
    expect(publishPacket(request(1, properties), 5, 1).properties).toBe(properties);
    expect('properties' in publishPacket(request(1, properties), 4, 1)).toBe(false);
  });

  it('MQTT-3.3.2-7: the application\'s Topic Alias is not kept (the next connection has none); the request is left as it was', () => {
    const properties = { topicAlias: 3, contentType: 'text/plain' };
    expect(publishPacket(request(1, properties), 5, 1).properties).toEqual({ contentType: 'text/plain' });
    expect(properties).toEqual({ topicAlias: 3, contentType: 'text/plain' });
    expect('properties' in publishPacket(request(0, { topicAlias: 3 }), 5, undefined)).toBe(false);
  });
});

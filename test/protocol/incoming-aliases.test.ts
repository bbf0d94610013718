import { MqttProtocolError } from '../../src/packets/errors.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import { IncomingAliases } from '../../src/protocol/incoming-aliases.js';

describe('IncomingAliases', () => {
  it('a topic with an alias sets it; an empty topic uses it; a new topic replaces it', () => {
    const a = new IncomingAliases(2);
    expect(a.resolve(1, 'a/b')).toBe('a/b');
    expect(a.resolve(1, '')).toBe('a/b');
    expect(a.resolve(1, 'c')).toBe('c');
    expect(a.resolve(1, '')).toBe('c');
  });

  it('MQTT-3.3.2-8, MQTT-3.3.2-10: an alias of 0 or above our Topic Alias Maximum is 0x94', () => {
    const a = new IncomingAliases(2);
    for (const alias of [0, 3]) {
      const error = a.resolve(alias, 'x');
      expect(error).toBeInstanceOf(MqttProtocolError);
      expect((error as MqttProtocolError).reasonCode).toBe(0x94);
    }
    expect(new IncomingAliases(0).resolve(1, 'x')).toBeInstanceOf(MqttProtocolError);
  });

  it('an alias used before it was set is 0x94; MQTT-3.3.2-7: aliases end with the connection', () => {
    const a = new IncomingAliases(5);
    expect((a.resolve(2, '') as MqttProtocolError).reasonCode).toBe(0x94);
    a.resolve(2, 't');
    a.clear();
    expect(a.resolve(2, '')).toBeInstanceOf(MqttProtocolError);
  });

  it('topicOf: the topic name of a PUBLISH without alias; through the alias otherwise', () => {
    const a = new IncomingAliases(5);
    const publish = (topic: string, topicAlias?: number): PublishPacket => ({
      cmd: 'publish',
      topic,
      payload: new Uint8Array(),
      qos: 0,
      retain: false,
      dup: false,
      ...(topicAlias === undefined ? {} : { properties: { topicAlias } }),
    });
    expect(a.topicOf(publish('a/b'))).toBe('a/b');
    expect(a.topicOf(publish('c/d', 3))).toBe('c/d');
    expect(a.topicOf(publish('', 3))).toBe('c/d');
    expect((a.topicOf(publish('', 4)) as MqttProtocolError).reasonCode).toBe(0x94);
    expect((a.topicOf(publish('x', 6)) as MqttProtocolError).reasonCode).toBe(0x94); // MQTT-3.3.2-10
  });
});

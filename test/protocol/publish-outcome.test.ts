import { MqttPublishError } from '../../src/protocol/errors.js';
import { publishOutcome } from '../../src/protocol/publish-outcome.js';

describe('publishOutcome', () => {
  it('an accepting code settles with the packet id and the code', () => {
    expect(publishOutcome('a', 7, 0, undefined, false)).toEqual({ packetId: 7, reasonCode: 0 });
    expect(publishOutcome('a', 7, 0x10, undefined, false)).toEqual({ packetId: 7, reasonCode: 0x10 });
  });

  it('the acknowledgement\'s properties go into the result', () => {
    const properties = { reasonString: 'ok', userProperties: { a: '1' } };
    expect(publishOutcome('a', 7, 0, properties, false)).toEqual({ packetId: 7, reasonCode: 0, properties });
  });

  it('MQTT 5: a refusing PUBACK / PUBREC code (0x80 or more) is a MqttPublishError naming the topic', () => {
    const properties = { reasonString: 'quota' };
    const error = publishOutcome('a/b', 7, 0x97, properties, false);
    expect(error).toBeInstanceOf(MqttPublishError);
    expect(error).toMatchObject({ message: 'publish to "a/b" refused (151): quota', reasonCode: 0x97, topic: 'a/b', properties });
    expect(publishOutcome('a/b', 7, 0x87, undefined, false)).toMatchObject({ message: 'publish to "a/b" refused (135)' });
  });

  it('a PUBCOMP code (0x92 at most) does not refuse the message: it is in the result', () => {
    expect(publishOutcome('a', 7, 0x92, undefined, true)).toEqual({ packetId: 7, reasonCode: 0x92 });
  });
});

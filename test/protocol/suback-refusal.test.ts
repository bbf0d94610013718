import { MqttSubscribeError } from '../../src/protocol/errors.js';
import { subackRefusal } from '../../src/protocol/suback-refusal.js';

describe('subackRefusal', () => {
  it('a granted QoS (below 0x80) is no refusal', () => {
    for (const granted of [0, 1, 2]) expect(subackRefusal({ cmd: 'suback', messageId: 1, granted: [granted] }, 'a')).toBeUndefined();
  });

  it('3.1.1 0x80 Failure: the filter and the code', () => {
    const error = subackRefusal({ cmd: 'suback', messageId: 1, granted: [0x80] }, 'a/b');
    expect(error).toBeInstanceOf(MqttSubscribeError);
    expect(error).toMatchObject({ message: 'subscription to "a/b" refused (128)', reasonCode: 0x80, filter: 'a/b' });
    expect(error?.properties).toBeUndefined();
  });

  it('MQTT 5: the reason code, with the Reason String and the properties', () => {
    const properties = { reasonString: 'not allowed' };
    const error = subackRefusal({ cmd: 'suback', messageId: 1, granted: [0x87], properties }, 'a');
    expect(error).toMatchObject({ message: 'subscription to "a" refused (135): not allowed', reasonCode: 0x87, properties });
  });

  it('a SUBACK without a code counts as a refusal (0x80)', () => {
    expect(subackRefusal({ cmd: 'suback', messageId: 1, granted: [] }, 'a')).toMatchObject({ reasonCode: 0x80 });
  });
});

import { MqttCapabilityError } from '../../src/protocol/errors.js';
import { publishRefusal } from '../../src/protocol/publish-refusal.js';
import type { PublishRequest } from '../../src/protocol/publish-request.js';
import { DEFAULT_SERVER_LIMITS } from '../../src/protocol/server-limits.js';

const req = (qos: 0 | 1 | 2, retain = false, topicAlias?: number): PublishRequest =>
  topicAlias === undefined
    ? { topic: 't', payload: new Uint8Array(), qos, retain }
    : { topic: 't', payload: new Uint8Array(), qos, retain, properties: { topicAlias } };

describe('publishRefusal', () => {
  it('passes what the server allows', () => {
    expect(publishRefusal(req(2, true), DEFAULT_SERVER_LIMITS, 5)).toBeUndefined();
    expect(publishRefusal(req(1, false, 3), { ...DEFAULT_SERVER_LIMITS, topicAliasMaximum: 3 }, 5)).toBeUndefined();
  });

  it('MQTT-3.2.2-11: a QoS above the server\'s Maximum QoS', () => {
    const error = publishRefusal(req(2), { ...DEFAULT_SERVER_LIMITS, maximumQoS: 1 }, 5);
    expect(error).toBeInstanceOf(MqttCapabilityError);
    expect(error).toMatchObject({ capability: 'maximumQoS', reasonCode: 0x9b });
    expect(publishRefusal(req(1), { ...DEFAULT_SERVER_LIMITS, maximumQoS: 1 }, 5)).toBeUndefined();
  });

  it('MQTT-3.2.2-14: RETAIN when the server has Retain Available 0', () => {
    const error = publishRefusal(req(0, true), { ...DEFAULT_SERVER_LIMITS, retainAvailable: false }, 5);
    expect(error).toMatchObject({ capability: 'retainAvailable', reasonCode: 0x9a });
  });

  it('MQTT-3.2.2-17: a topic alias outside 1..Topic Alias Maximum is a RangeError (MQTT 5 only)', () => {
    const limits = { ...DEFAULT_SERVER_LIMITS, topicAliasMaximum: 2 };
    expect(publishRefusal(req(0, false, 3), limits, 5)).toBeInstanceOf(RangeError);
    expect(publishRefusal(req(0, false, 0), limits, 5)).toBeInstanceOf(RangeError);
    expect(publishRefusal(req(0, false, 1), DEFAULT_SERVER_LIMITS, 5)).toBeInstanceOf(RangeError);
    expect(publishRefusal(req(0, false, 9), limits, 4)).toBeUndefined();
  });
});

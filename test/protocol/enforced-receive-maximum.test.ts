import { enforcedReceiveMaximum } from '../../src/protocol/enforced-receive-maximum.js';

describe('enforcedReceiveMaximum', () => {
  it('MQTT-3.3.4-9: MQTT 5, the Receive Maximum our CONNECT sends, when below 65535', () => {
    expect(enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 10 } })).toBe(10);
    expect(enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 65534 } })).toBe(65534);
  });

  it('nothing to enforce: none sent (65535), 65535, turned off, or MQTT 3.x', () => {
    expect(enforcedReceiveMaximum({ protocolVersion: 5 })).toBe(0);
    expect(enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 65535 } })).toBe(0);
    expect(enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 10 }, enforceReceiveMaximum: false })).toBe(0);
    expect(enforcedReceiveMaximum({ protocolVersion: 4, properties: { receiveMaximum: 10 } })).toBe(0);
    expect(enforcedReceiveMaximum({ protocolVersion: 3 })).toBe(0);
  });

  it('enforceReceiveMaximum: true or undefined enforces', () => {
    expect(enforcedReceiveMaximum({ protocolVersion: 5, properties: { receiveMaximum: 3 }, enforceReceiveMaximum: true })).toBe(3);
  });
});

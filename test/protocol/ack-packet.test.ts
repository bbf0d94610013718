import type { PubackPacket, PubcompPacket, PubrecPacket, PubrelPacket } from '../../src/packets/packet.js';
import { ackPacket } from '../../src/protocol/ack-packet.js';

describe('ackPacket', () => {
  it('MQTT 5: the reason code, and the properties when given', () => {
    expect(ackPacket<PubrelPacket>(5, 'pubrel', 7, 0)).toEqual({ cmd: 'pubrel', messageId: 7, reasonCode: 0 });
    expect(ackPacket<PubcompPacket>(5, 'pubcomp', 8, 0x92)).toEqual({ cmd: 'pubcomp', messageId: 8, reasonCode: 0x92 });
    expect(ackPacket<PubackPacket>(5, 'puback', 9, 0x99, { reasonString: 'not JSON' })).toEqual({
      cmd: 'puback',
      messageId: 9,
      reasonCode: 0x99,
      properties: { reasonString: 'not JSON' },
    });
  });

  it('no properties key when none are given (nothing to encode)', () => {
    expect(Object.keys(ackPacket<PubrecPacket>(5, 'pubrec', 1, 0, undefined))).toEqual(['cmd', 'messageId', 'reasonCode']);
  });

  it('MQTT 3.1.1 / 3.1: the packet id only, whatever the reason', () => {
    expect(ackPacket<PubackPacket>(4, 'puback', 3, 0x80, { reasonString: 'no' })).toEqual({ cmd: 'puback', messageId: 3 });
    expect(ackPacket<PubcompPacket>(3, 'pubcomp', 4, 0x92)).toEqual({ cmd: 'pubcomp', messageId: 4 });
  });
});

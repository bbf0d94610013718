import { disconnectPacket } from '../../src/protocol/disconnect-packet.js';

describe('disconnectPacket', () => {
  it('MQTT 3.x: a bare DISCONNECT, whatever end() was given', () => {
    expect(disconnectPacket(4, 0x04, 10, 10)).toEqual({ cmd: 'disconnect' });
  });

  it('MQTT 5: reason code 0 by default, the one given otherwise', () => {
    expect(disconnectPacket(5, undefined, undefined, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
    expect(disconnectPacket(5, 0x04, undefined, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0x04 });
  });

  it('MQTT 5 3.14.2.2.2: a new Session Expiry Interval, unless it is non-zero after 0 in force', () => {
    expect(disconnectPacket(5, undefined, 60, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    expect(disconnectPacket(5, undefined, 0, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, undefined, 0, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, undefined, 60, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
  });
});

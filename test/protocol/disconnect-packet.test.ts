import { disconnectPacket } from '../../src/protocol/disconnect-packet.js';

describe('disconnectPacket', () => {
  it('MQTT 3.x: a bare DISCONNECT, whatever end() was given', () => {
    expect(disconnectPacket(4, { reasonCode: 0x04, sessionExpiryInterval: 10, reasonString: 'bye' }, 10)).toEqual({ cmd: 'disconnect' });
  });

  it('MQTT 5: reason code 0 by default, the one given otherwise', () => {
    expect(disconnectPacket(5, {}, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
    expect(disconnectPacket(5, { reasonCode: 0x04 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0x04 });
  });

  it('MQTT 5 3.14.2.2.2: a new Session Expiry Interval, unless it is non-zero after 0 in force', () => {
    expect(disconnectPacket(5, { sessionExpiryInterval: 60 }, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 0 }, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 0 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 60 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
  });

  it('MQTT 5 3.14.2.2.3 / 3.14.2.2.4: the Reason String and User Properties end() was given', () => {
    const userProperties = { app: 'dashboard', tags: ['a', 'b'] };
    expect(disconnectPacket(5, { reasonCode: 0x04, reasonString: 'shutting down', userProperties }, 0)).toEqual({
      cmd: 'disconnect',
      reasonCode: 0x04,
      properties: { reasonString: 'shutting down', userProperties },
    });
    expect(disconnectPacket(5, { sessionExpiryInterval: 60, reasonString: 'x' }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { reasonString: 'x' } });
  });
});

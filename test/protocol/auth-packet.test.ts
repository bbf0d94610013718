import { authPacket } from '../../src/protocol/auth-packet.js';

describe('authPacket', () => {
  it('MQTT-4.12.0-5: carries the Authentication Method, and the Data when there is some', () => {
    expect(authPacket(0x18, 'M')).toEqual({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'M' } });
    const data = new Uint8Array([1]);
    expect(authPacket(0x19, 'M', { data })).toEqual({
      cmd: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: 'M', authenticationData: data },
    });
  });

  it('3.15.2.2.3 / 3.15.2.2.4: the Reason String and User Properties of the answer', () => {
    const userProperties = { device: 'press-17' };
    expect(authPacket(0x18, 'M', { reasonString: 'why', userProperties })).toEqual({
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'M', reasonString: 'why', userProperties },
    });
  });
});

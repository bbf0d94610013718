import { MqttProtocolError, PROTOCOL_ERROR } from '../../src/packets/errors.js';
import type { AuthPacket } from '../../src/packets/packet.js';
import { inboundAuth } from '../../src/protocol/inbound-auth.js';

const data = new Uint8Array([1, 2, 3]);

function auth(reasonCode: number, properties: AuthPacket['properties'] = { authenticationMethod: 'SCRAM' }): AuthPacket {
  return { cmd: 'auth', reasonCode, properties };
}

function protocolError(result: unknown, message: RegExp): void {
  expect(result).toBeInstanceOf(MqttProtocolError);
  expect(result).toEqual(expect.objectContaining({ reasonCode: PROTOCOL_ERROR }));
  expect((result as MqttProtocolError).message).toMatch(message);
}

describe('inboundAuth', () => {
  it('MQTT-4.12.0-2: AUTH 0x18 while connecting is a challenge, with the data and every property', () => {
    const packet = auth(0x18, { authenticationMethod: 'SCRAM', authenticationData: data, reasonString: 'more' });
    expect(inboundAuth(packet, 'SCRAM', true, false)).toEqual({
      reasonCode: 0x18,
      method: 'SCRAM',
      authenticationData: data,
      properties: packet.properties,
    });
  });

  it('a challenge without data carries none', () => {
    expect(inboundAuth(auth(0x18), 'SCRAM', true, false)).toEqual({
      reasonCode: 0x18,
      method: 'SCRAM',
      properties: { authenticationMethod: 'SCRAM' },
    });
  });

  it('AUTH 0x18 during a re-authentication is a challenge too', () => {
    expect(inboundAuth(auth(0x18), 'SCRAM', false, true)).toEqual(expect.objectContaining({ reasonCode: 0x18, method: 'SCRAM' }));
  });

  it('AUTH 0x00 ends a running re-authentication (4.12.1)', () => {
    expect(inboundAuth(auth(0x00), 'SCRAM', false, true)).toBe('reauthenticated');
  });

  it('MQTT-4.12.0-6: AUTH when the CONNECT named no Authentication Method is a protocol error', () => {
    protocolError(inboundAuth(auth(0x18), undefined, true, false), /MQTT-4\.12\.0-6/);
  });

  it('MQTT-4.12.0-5: AUTH with another Authentication Method, or none, is a protocol error', () => {
    protocolError(inboundAuth(auth(0x18, { authenticationMethod: 'OTHER' }), 'SCRAM', true, false), /"OTHER", not "SCRAM".*MQTT-4\.12\.0-5/);
    protocolError(inboundAuth({ cmd: 'auth', reasonCode: 0x18 }, 'SCRAM', true, false), /undefined, not "SCRAM"/);
  });

  it('MQTT-3.15.2-1: AUTH 0x18 on an accepted connection with no re-authentication is a protocol error', () => {
    protocolError(inboundAuth(auth(0x18), 'SCRAM', false, false), /unexpected AUTH with reason code 24/);
  });

  it('MQTT-3.15.2-1: AUTH 0x00 while connecting or outside a re-authentication, and AUTH 0x19 ever, are protocol errors', () => {
    protocolError(inboundAuth(auth(0x00), 'SCRAM', true, false), /reason code 0/);
    protocolError(inboundAuth(auth(0x00), 'SCRAM', false, false), /reason code 0/);
    protocolError(inboundAuth(auth(0x19), 'SCRAM', false, true), /reason code 25/);
    protocolError(inboundAuth(auth(0x19), 'SCRAM', true, false), /reason code 25/);
  });
});

import { connectPacket } from '../../src/protocol/connect-packet.js';
import { config } from './session-harness.js';

const pw = new Uint8Array([1, 2]);

describe('connectPacket', () => {
  it('3.1 names the protocol MQIsdp, 3.1.1 MQTT; no properties before MQTT 5', () => {
    expect(connectPacket(config({ protocolVersion: 3 }), 'c', true)).toEqual({
      cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: 'c', clean: true, keepalive: 60,
    });
    const p = connectPacket(config({ protocolVersion: 4, sessionExpiryInterval: 9, properties: { receiveMaximum: 5 } }), 'c', false);
    expect(p).toEqual({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: false, keepalive: 60 });
  });

  it('the credentials of the attempt replace the configured ones, both of them', () => {
    const c = config({ username: 'conf', password: pw });
    expect(connectPacket(c, 'c', true)).toMatchObject({ username: 'conf', password: pw });
    const p = connectPacket(c, 'c', true, { username: 'fresh' });
    expect(p.username).toBe('fresh');
    expect('password' in p).toBe(false);
  });

  it('MQTT 5: the configured properties, our Maximum Packet Size, Session Expiry and the Authentication Method and Data', () => {
    const data = new Uint8Array([7]);
    const p = connectPacket(
      config({
        protocolVersion: 5,
        maxPacketSize: 1000,
        sessionExpiryInterval: 60,
        properties: { receiveMaximum: 5 },
        authentication: { method: 'SCRAM', data },
      }),
      'c',
      true,
    );
    expect(p.properties).toEqual({
      receiveMaximum: 5,
      maximumPacketSize: 1000,
      sessionExpiryInterval: 60,
      authenticationMethod: 'SCRAM',
      authenticationData: data,
    });
  });

  it("MQTT 5: the attempt's Authentication Data replaces the configured one; the method stays", () => {
    const fresh = new Uint8Array([9]);
    const c = config({ protocolVersion: 5, authentication: { method: 'SCRAM', data: new Uint8Array([7]) } });
    expect(connectPacket(c, 'c', true, { authenticationData: fresh }).properties).toMatchObject({ authenticationMethod: 'SCRAM', authenticationData: fresh });
    const asked = config({ protocolVersion: 5, authentication: { method: 'SCRAM' } });
    expect(connectPacket(asked, 'c', true, { authenticationData: fresh }).properties).toMatchObject({ authenticationMethod: 'SCRAM', authenticationData: fresh });
  });

  it('the will goes as configured', () => {
    const will = { topic: 'w', payload: new Uint8Array(), qos: 1 as const, retain: false };
    expect(connectPacket(config({ will }), 'c', true).will).toBe(will);
  });
});

import { MqttProtocolError, PROTOCOL_ERROR } from '../../src/packets/errors.js';
import type { ConnackPacket } from '../../src/packets/packet.js';
import { connackVerdict } from '../../src/protocol/connack-verdict.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';

const v3 = { protocolVersion: 4 } as const;
const v5 = { protocolVersion: 5 } as const;

function v3ack(returnCode: number, sessionPresent = false): ConnackPacket {
  return { cmd: 'connack', sessionPresent, returnCode };
}

function v5ack(reasonCode: number, properties?: ConnackPacket['properties'], sessionPresent = false): ConnackPacket {
  return properties === undefined ? { cmd: 'connack', sessionPresent, reasonCode } : { cmd: 'connack', sessionPresent, reasonCode, properties };
}

describe('connackVerdict', () => {
  it('accepts a CONNACK with code 0', () => {
    expect(connackVerdict(v3ack(0), v3, true)).toBeUndefined();
    expect(connackVerdict(v5ack(0), v5, false)).toBeUndefined();
  });

  it('a refusal: a MqttConnectionError with the code, the reason, the Reason String and the properties', () => {
    const properties = { reasonString: 'go away' };
    const verdict = connackVerdict(v5ack(0x89, properties), v5, true);
    expect(verdict).toEqual({ error: expect.any(MqttConnectionError), fatal: false });
    const { error } = verdict as { error: MqttConnectionError };
    expect(error.message).toBe('connection refused: server busy (137): go away');
    expect(error.reasonCode).toBe(0x89);
    expect(error.properties).toBe(properties);
  });

  it('a fatal refusal ends the client (MQTT 3.1.1 return code 5)', () => {
    const verdict = connackVerdict(v3ack(5), v3, true) as { error: MqttConnectionError; fatal: boolean };
    expect(verdict.fatal).toBe(true);
    expect(verdict.error.message).toBe('connection refused: not authorized (5)');
  });

  it('refused credentials are retried when asked afresh per attempt; other fatal refusals are not', () => {
    expect(connackVerdict(v3ack(4), { ...v3, askedCredentials: true }, true)).toEqual(expect.objectContaining({ fatal: false }));
    expect(connackVerdict(v5ack(0x86), { ...v5, askedCredentials: true }, true)).toEqual(expect.objectContaining({ fatal: false }));
    expect(connackVerdict(v5ack(0x86), v5, true)).toEqual(expect.objectContaining({ fatal: true }));
    expect(connackVerdict(v5ack(0x84), { ...v5, askedCredentials: true }, true)).toEqual(expect.objectContaining({ fatal: true }));
  });

  it('MQTT-4.12.0-5 / MQTT-4.12.0-6: an Authentication Method the CONNECT did not name is a protocol error', () => {
    const other = connackVerdict(v5ack(0, { authenticationMethod: 'B' }), { ...v5, authentication: { method: 'A' } }, true);
    expect(other).toBeInstanceOf(MqttProtocolError);
    expect(other).toEqual(expect.objectContaining({ reasonCode: PROTOCOL_ERROR }));
    expect(connackVerdict(v5ack(0, { authenticationMethod: 'B' }), v5, true)).toBeInstanceOf(MqttProtocolError);
    expect(connackVerdict(v5ack(0, { authenticationMethod: 'A' }), { ...v5, authentication: { method: 'A' } }, true)).toBeUndefined();
    expect(connackVerdict(v5ack(0), { ...v5, authentication: { method: 'A' } }, true)).toBeUndefined();
  });

  it('MQTT-3.2.2-4 / MQTT-3.2.2-1: session present after a clean start is a protocol error; after a resume it is fine', () => {
    const verdict = connackVerdict(v3ack(0, true), v3, true);
    expect(verdict).toBeInstanceOf(MqttProtocolError);
    expect((verdict as MqttProtocolError).message).toMatch(/MQTT-3\.2\.2-4/);
    expect(connackVerdict(v5ack(0, undefined, true), v5, false)).toBeUndefined();
  });

  it('a refusal is judged before the rest (a refusing CONNACK with a session flag is still a refusal)', () => {
    expect(connackVerdict(v3ack(3, true), v3, true)).toEqual(expect.objectContaining({ fatal: false }));
  });
});

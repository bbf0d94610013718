import type { DisconnectPacket } from '../../src/packets/packet.js';
import { disconnectError } from '../../src/protocol/disconnect-error.js';
import { MqttConnectionError } from '../../src/protocol/errors.js';

describe('disconnectError', () => {
  it('the reason code, the Reason String in the message, and the properties', () => {
    const properties = { reasonString: 'shutting down', serverReference: 'other:1883' };
    const error = disconnectError({ cmd: 'disconnect', reasonCode: 0x8b, properties });
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect(error.message).toBe('the server sent DISCONNECT (139): shutting down');
    expect(error.reasonCode).toBe(0x8b);
    expect(error.properties).toBe(properties);
  });

  it('no reason code is 0 (normal disconnection), no Reason String adds nothing', () => {
    const packet: DisconnectPacket = { cmd: 'disconnect' };
    const error = disconnectError(packet);
    expect(error.message).toBe('the server sent DISCONNECT (0)');
    expect(error.reasonCode).toBe(0);
    expect(error.properties).toBeUndefined();
  });
});

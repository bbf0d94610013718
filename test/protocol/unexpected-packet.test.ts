import { MqttProtocolError, PROTOCOL_ERROR } from '../../src/packets/errors.js';
import type { PacketCmd, ProtocolVersion } from '../../src/packets/packet.js';
import { unexpectedPacket } from '../../src/protocol/unexpected-packet.js';

const rows: { name: string; cmd: PacketCmd; version: ProtocolVersion; connecting: boolean; message: string }[] = [
  { name: 'MQTT-3.2.0-1: PUBLISH before CONNACK', cmd: 'publish', version: 4, connecting: true, message: 'publish before CONNACK (MQTT-3.2.0-1)' },
  { name: 'MQTT-3.2.0-1: DISCONNECT before CONNACK (MQTT 5)', cmd: 'disconnect', version: 5, connecting: true, message: 'disconnect before CONNACK (MQTT-3.2.0-1)' },
  { name: 'MQTT-3.2.0-2: a second CONNACK', cmd: 'connack', version: 5, connecting: false, message: 'second CONNACK on one connection (MQTT-3.2.0-2)' },
  { name: 'DISCONNECT in MQTT 3.1.1', cmd: 'disconnect', version: 4, connecting: false, message: 'DISCONNECT from the server in MQTT 3.x' },
  { name: 'AUTH in MQTT 3.1', cmd: 'auth', version: 3, connecting: false, message: 'AUTH from the server in MQTT 3.x' },
  { name: 'PINGREQ travels client → server only', cmd: 'pingreq', version: 4, connecting: false, message: 'pingreq from the server' },
  { name: 'SUBSCRIBE travels client → server only', cmd: 'subscribe', version: 5, connecting: false, message: 'subscribe from the server' },
  { name: 'CONNECT travels client → server only', cmd: 'connect', version: 5, connecting: false, message: 'connect from the server' },
];

describe('unexpectedPacket', () => {
  it.each(rows)('$name', ({ cmd, version, connecting, message }) => {
    const error = unexpectedPacket(cmd, version, connecting);
    expect(error).toBeInstanceOf(MqttProtocolError);
    expect(error.message).toBe(message);
    expect(error.reasonCode).toBe(PROTOCOL_ERROR);
  });
});

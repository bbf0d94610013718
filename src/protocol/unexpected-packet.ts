import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';
import type { PacketCmd, ProtocolVersion } from '../packets/packet.js';

/**
 * The protocol error of a packet the server may not send at this point: anything but
 * CONNACK (or AUTH, MQTT 5) before the CONNACK (MQTT-3.2.0-1), a second CONNACK
 * (MQTT-3.2.0-2), DISCONNECT or AUTH in MQTT 3.x, and what travels client → server only
 * (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ).
 *
 * @example
 * ```ts
 * unexpectedPacket('publish', 4, true);  // MqttProtocolError('publish before CONNACK (MQTT-3.2.0-1)'), 0x82
 * unexpectedPacket('pingreq', 5, false); // MqttProtocolError('pingreq from the server'), 0x82
 * ```
 * @param cmd the packet's kind.
 * @param version the protocol version of the connection.
 * @param connecting whether the CONNACK is still awaited.
 * @returns the error to disconnect with.
 */
export function unexpectedPacket(cmd: PacketCmd, version: ProtocolVersion, connecting: boolean): MqttProtocolError {
  // MQTT-3.2.0-1: the first packet from the server is CONNACK.
  if (connecting) return new MqttProtocolError(`${cmd} before CONNACK (MQTT-3.2.0-1)`, PROTOCOL_ERROR);
  // MQTT-3.2.0-2: at most one CONNACK per connection.
  if (cmd === 'connack') return new MqttProtocolError('second CONNACK on one connection (MQTT-3.2.0-2)', PROTOCOL_ERROR);
  if ((cmd === 'disconnect' || cmd === 'auth') && version !== 5) {
    return new MqttProtocolError(`${cmd.toUpperCase()} from the server in MQTT 3.x`, PROTOCOL_ERROR);
  }
  return new MqttProtocolError(`${cmd} from the server`, PROTOCOL_ERROR);
}

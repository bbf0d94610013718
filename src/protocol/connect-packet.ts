import type { ConnectPacket } from '../packets/packet.js';
import type { Credentials } from './credentials.js';
import type { SessionConfig } from './session-config.js';

/**
 * The CONNECT of one connection attempt, from the configuration and what the session
 * knows: the client identifier (a server may have assigned one) and Clean Start.
 *
 * @example
 * ```ts
 * connectPacket(config, 'sensor-1', true, { username: 'u' });
 * // { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'sensor-1', clean: true, username: 'u', … }
 * ```
 * @param config the resolved options.
 * @param clientId the identifier to connect with.
 * @param clean Clean Session (3.x) / Clean Start (5).
 * @param credentials the user name, password and Authentication Data of this attempt,
 *   replacing the configured ones, if given.
 * @returns a new packet (the caller may keep it).
 */
export function connectPacket(config: SessionConfig, clientId: string, clean: boolean, credentials?: Credentials): ConnectPacket {
  const v = config.protocolVersion;
  const packet: ConnectPacket = {
    cmd: 'connect',
    protocolId: v === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: v,
    clientId,
    clean,
    keepalive: config.keepalive,
  };
  const username = credentials === undefined ? config.username : credentials.username;
  const password = credentials === undefined ? config.password : credentials.password;
  if (username !== undefined) packet.username = username;
  if (password !== undefined) packet.password = password;
  if (config.will !== undefined) packet.will = config.will;
  if (v === 5) {
    packet.properties = { ...config.properties, maximumPacketSize: config.maxPacketSize };
    if (config.sessionExpiryInterval !== undefined) packet.properties.sessionExpiryInterval = config.sessionExpiryInterval;
    const auth = config.authentication;
    if (auth !== undefined) {
      // 3.1.2.11.9 / 3.1.2.11.10: the method starts enhanced authentication (4.12).
      packet.properties.authenticationMethod = auth.method;
      const data = credentials?.authenticationData ?? auth.data;
      if (data !== undefined) packet.properties.authenticationData = data;
    }
  }
  return packet;
}

import type { PacketEvent } from '../client/mqtt-client.js';
import type { Packet, ProtocolVersion, Subscription } from '../packets/packet.js';
import { reasonCodeName } from '../packets/reason-codes.js';
import { previewBytes } from './preview-bytes.js';

/** Widest command name, UNSUBSCRIBE: names are padded to it so the fields line up. */
const CMD_WIDTH = 11;

/**
 * One line of `--trace`: the direction (`→` sent, `←` received), the time since the
 * client started, the packet type and its fields in mqtt-packet's names, with a
 * preview of payloads. Secrets never show: a CONNECT's password is printed as
 * `password=<hidden>` whatever the packet holds, and so is authentication data.
 *
 * @example
 * ```ts
 * formatPacket({ direction: 'out', packet: { cmd: 'puback', messageId: 7 } }, 1234, 4);
 * // '→ +1.234s PUBACK      messageId=7'
 * ```
 * @param event the packet and its direction, from `client.packets$`.
 * @param elapsedMs ms since the client started.
 * @param version the connection's protocol version (names the CONNACK codes).
 * @returns the line, without a newline.
 */
export function formatPacket(event: PacketEvent, elapsedMs: number, version: ProtocolVersion): string {
  const arrow = event.direction === 'out' ? '→' : '←';
  const time = `+${(elapsedMs / 1000).toFixed(3)}s`;
  const fields = packetFields(event.packet, version);
  return `${arrow} ${time} ${event.packet.cmd.toUpperCase().padEnd(CMD_WIDTH)} ${fields.join(' ')}`.trimEnd();
}

function packetFields(packet: Packet, version: ProtocolVersion): string[] {
  const fields: string[] = [];
  switch (packet.cmd) {
    case 'connect':
      fields.push(
        `protocol=${packet.protocolId}/${packet.protocolVersion}`,
        `clientId=${JSON.stringify(packet.clientId)}`,
        `clean=${packet.clean}`,
        `keepalive=${packet.keepalive}`,
      );
      if (packet.username !== undefined) fields.push(`username=${JSON.stringify(packet.username)}`);
      if (packet.password !== undefined) fields.push('password=<hidden>');
      if (packet.will !== undefined) {
        const { topic, qos, retain, payload } = packet.will;
        fields.push(`will={topic=${JSON.stringify(topic)} qos=${qos}${retain ? ' retain' : ''} payload(${payload.length} B)=${previewBytes(payload)}}`);
      }
      break;
    case 'connack':
      fields.push(`sessionPresent=${packet.sessionPresent}`);
      if (packet.returnCode !== undefined) fields.push(code('returnCode', packet.returnCode, 'connack', version));
      if (packet.reasonCode !== undefined) fields.push(code('reasonCode', packet.reasonCode, 'connack', version));
      break;
    case 'publish':
      if (packet.messageId !== undefined) fields.push(`messageId=${packet.messageId}`);
      fields.push(`qos=${packet.qos}`);
      if (packet.dup) fields.push('dup');
      if (packet.retain) fields.push('retain');
      fields.push(`topic=${JSON.stringify(packet.topic)}`, `payload(${packet.payload.length} B)=${previewBytes(packet.payload)}`);
      break;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      fields.push(`messageId=${packet.messageId}`);
      if (packet.reasonCode !== undefined) fields.push(code('reasonCode', packet.reasonCode, packet.cmd, version));
      break;
    case 'subscribe':
      fields.push(`messageId=${packet.messageId}`, `subscriptions=[${packet.subscriptions.map(subscription).join(', ')}]`);
      break;
    case 'suback':
      fields.push(`messageId=${packet.messageId}`, `granted=[${packet.granted.map((c) => grantedCode(c, version)).join(', ')}]`);
      break;
    case 'unsubscribe':
      fields.push(`messageId=${packet.messageId}`, `unsubscriptions=[${packet.unsubscriptions.map((t) => JSON.stringify(t)).join(', ')}]`);
      break;
    case 'unsuback':
      fields.push(`messageId=${packet.messageId}`);
      if (packet.granted !== undefined) fields.push(`granted=[${packet.granted.map((c) => hex(c)).join(', ')}]`);
      break;
    case 'disconnect':
    case 'auth':
      if (packet.reasonCode !== undefined) fields.push(code('reasonCode', packet.reasonCode, packet.cmd, version));
      break;
    case 'pingreq':
    case 'pingresp':
      break;
  }
  if ('properties' in packet && packet.properties !== undefined) fields.push(`properties={${properties(packet.properties)}}`);
  return fields;
}

function subscription(s: Subscription): string {
  let text = `${JSON.stringify(s.topic)} qos=${s.qos}`;
  if (s.nl === true) text += ' nl';
  if (s.rap === true) text += ' rap';
  if (s.rh !== undefined && s.rh !== 0) text += ` rh=${s.rh}`;
  return text;
}

function code(field: string, value: number, cmd: Packet['cmd'], version: ProtocolVersion): string {
  const name = reasonCodeName(value, cmd, version);
  const shown = field === 'returnCode' ? String(value) : hex(value);
  return name === undefined ? `${field}=${shown}` : `${field}=${shown} (${name})`;
}

function grantedCode(value: number, version: ProtocolVersion): string {
  if (value < 0x80) return String(value);
  return version === 5 ? `${hex(value)} (${reasonCodeName(value, 'suback') ?? 'unknown'})` : `${hex(value)} (Failure)`;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** MQTT 5 properties as `name=value` pairs; bytes previewed, authentication data hidden. */
function properties(props: object): string {
  return Object.entries(props)
    .map(([name, value]: [string, unknown]) => {
      if (value instanceof Uint8Array) {
        return name === 'authenticationData' ? `${name}=<hidden>` : `${name}=${previewBytes(value)}`;
      }
      return `${name}=${JSON.stringify(value)}`;
    })
    .join(' ');
}

/**
 * The MQTT control packets as plain objects: a discriminated union on `cmd`, with
 * mqtt-packet's field names (so MQTT.js users recognise every packet in a trace) and
 * `Uint8Array` wherever mqtt-packet has `Buffer`.
 *
 * Canonical form (what `decode` returns, and what round-trips exactly through
 * `encode`): optional fields that are absent on the wire are absent from the object
 * (not `undefined`); `properties` is present only in MQTT 5 and only when at least one
 * property was sent; in MQTT 5 every packet that has a reason code carries
 * `reasonCode` (0 when the wire omitted it).
 */

/** Protocol level: 3 = MQTT 3.1 (`MQIsdp`), 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolVersion = 3 | 4 | 5;

/** Quality of service level. */
export type QoS = 0 | 1 | 2;

/**
 * MQTT 5 user properties: name → value, or name → values when a name repeats
 * (the spec allows the same name more than once; order within a name is kept).
 */
export type UserProperties = Record<string, string | string[]>;

/** Properties of an MQTT 5 CONNECT packet. */
export interface ConnectProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  requestResponseInformation?: boolean;
  requestProblemInformation?: boolean;
  userProperties?: UserProperties;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
}

/** Properties of an MQTT 5 will message (sent in CONNECT). */
export interface WillProperties {
  willDelayInterval?: number;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperties;
}

/** The will message of a CONNECT packet. */
export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: WillProperties;
}

/** CONNECT: the client asks to open a session. */
export interface ConnectPacket {
  cmd: 'connect';
  /** `'MQIsdp'` for MQTT 3.1, `'MQTT'` for 3.1.1 and 5. */
  protocolId: 'MQTT' | 'MQIsdp';
  protocolVersion: ProtocolVersion;
  clientId: string;
  /** Clean Session (3.x) / Clean Start (5). */
  clean: boolean;
  /** Seconds; 0 disables keepalive. */
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: Will;
  properties?: ConnectProperties;
}

/** Properties of an MQTT 5 CONNACK packet. */
export interface ConnackProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumQoS?: number;
  retainAvailable?: boolean;
  maximumPacketSize?: number;
  assignedClientIdentifier?: string;
  topicAliasMaximum?: number;
  reasonString?: string;
  userProperties?: UserProperties;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  serverKeepAlive?: number;
  responseInformation?: string;
  serverReference?: string;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
}

/** CONNACK: the server's answer to CONNECT. */
export interface ConnackPacket {
  cmd: 'connack';
  sessionPresent: boolean;
  /** MQTT 3.1 / 3.1.1 connect return code (0 = accepted). */
  returnCode?: number;
  /** MQTT 5 connect reason code (0 = success). */
  reasonCode?: number;
  properties?: ConnackProperties;
}

/** Properties of an MQTT 5 PUBLISH packet. */
export interface PublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperties;
  /** One identifier, or several when the message matched several subscriptions. */
  subscriptionIdentifier?: number | number[];
  contentType?: string;
}

/** PUBLISH: an application message, either direction. */
export interface PublishPacket {
  cmd: 'publish';
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  dup: boolean;
  retain: boolean;
  /** Present for QoS 1 and 2 only. */
  messageId?: number;
  properties?: PublishProperties;
}

/** Properties shared by the acknowledgement packets of MQTT 5. */
export interface AckProperties {
  reasonString?: string;
  userProperties?: UserProperties;
}

/** PUBACK: acknowledges a QoS 1 PUBLISH. */
export interface PubackPacket {
  cmd: 'puback';
  messageId: number;
  /** MQTT 5 only. */
  reasonCode?: number;
  properties?: AckProperties;
}

/** PUBREC: first acknowledgement of a QoS 2 PUBLISH. */
export interface PubrecPacket {
  cmd: 'pubrec';
  messageId: number;
  reasonCode?: number;
  properties?: AckProperties;
}

/** PUBREL: releases a QoS 2 message after PUBREC. */
export interface PubrelPacket {
  cmd: 'pubrel';
  messageId: number;
  reasonCode?: number;
  properties?: AckProperties;
}

/** PUBCOMP: completes a QoS 2 flow. */
export interface PubcompPacket {
  cmd: 'pubcomp';
  messageId: number;
  reasonCode?: number;
  properties?: AckProperties;
}

/** One topic filter of a SUBSCRIBE with its options (MQTT 5 names as in mqtt-packet). */
export interface Subscription {
  topic: string;
  qos: QoS;
  /** MQTT 5 No Local. */
  nl?: boolean;
  /** MQTT 5 Retain As Published. */
  rap?: boolean;
  /** MQTT 5 Retain Handling: 0, 1 or 2. */
  rh?: number;
}

/** Properties of an MQTT 5 SUBSCRIBE packet. */
export interface SubscribeProperties {
  subscriptionIdentifier?: number;
  userProperties?: UserProperties;
}

/** SUBSCRIBE: the client asks for one or more subscriptions. */
export interface SubscribePacket {
  cmd: 'subscribe';
  messageId: number;
  subscriptions: Subscription[];
  properties?: SubscribeProperties;
}

/** SUBACK: the granted QoS (3.x) or reason code (5) of each subscription, in order. */
export interface SubackPacket {
  cmd: 'suback';
  messageId: number;
  granted: number[];
  properties?: AckProperties;
}

/** Properties of an MQTT 5 UNSUBSCRIBE packet. */
export interface UnsubscribeProperties {
  userProperties?: UserProperties;
}

/** UNSUBSCRIBE: the client drops one or more subscriptions. */
export interface UnsubscribePacket {
  cmd: 'unsubscribe';
  messageId: number;
  unsubscriptions: string[];
  properties?: UnsubscribeProperties;
}

/** UNSUBACK: acknowledges UNSUBSCRIBE; in MQTT 5 with a reason code per filter. */
export interface UnsubackPacket {
  cmd: 'unsuback';
  messageId: number;
  /** MQTT 5 only: one reason code per filter, in order. */
  granted?: number[];
  properties?: AckProperties;
}

/** PINGREQ: keepalive probe from the client. */
export interface PingreqPacket {
  cmd: 'pingreq';
}

/** PINGRESP: the server's answer to PINGREQ. */
export interface PingrespPacket {
  cmd: 'pingresp';
}

/** Properties of an MQTT 5 DISCONNECT packet. */
export interface DisconnectProperties {
  sessionExpiryInterval?: number;
  reasonString?: string;
  userProperties?: UserProperties;
  serverReference?: string;
}

/** DISCONNECT: orderly end of the connection (either direction in MQTT 5). */
export interface DisconnectPacket {
  cmd: 'disconnect';
  /** MQTT 5 only. */
  reasonCode?: number;
  properties?: DisconnectProperties;
}

/** Properties of an MQTT 5 AUTH packet. */
export interface AuthProperties {
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  reasonString?: string;
  userProperties?: UserProperties;
}

/** AUTH: MQTT 5 enhanced authentication exchange. */
export interface AuthPacket {
  cmd: 'auth';
  reasonCode: number;
  properties?: AuthProperties;
}

/** Any MQTT control packet. */
export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;

/** The `cmd` of any packet. */
export type PacketCmd = Packet['cmd'];

/** The packet type whose `cmd` is `C`. */
export type PacketOf<C extends PacketCmd> = Extract<Packet, { cmd: C }>;

/**
 * The MQTT 5 property table (MQTT 5.0 section 2.2.2.2, Table 2-4): one row per
 * property, used by both `encode` and `decode`.
 */
import { MAX_VARINT } from './byte-writer.js';

/** How a property value is carried on the wire. */
export type PropertyType = 'byte' | 'two-byte' | 'four-byte' | 'varint' | 'utf8' | 'binary' | 'utf8-pair';

/** Where a property may appear: a packet, or `'will'` for the will properties of CONNECT. */
export type PropertyContext =
  | 'connect'
  | 'will'
  | 'connack'
  | 'publish'
  | 'puback'
  | 'pubrec'
  | 'pubrel'
  | 'pubcomp'
  | 'subscribe'
  | 'suback'
  | 'unsubscribe'
  | 'unsuback'
  | 'disconnect'
  | 'auth';

/** One MQTT 5 property. */
export interface PropertyDefinition {
  /** The property identifier on the wire. */
  readonly id: number;
  /** The field name in a packet's `properties` (mqtt-packet's camelCase name). */
  readonly name: string;
  /** How its value is encoded on the wire. */
  readonly type: PropertyType;
  /** A `byte` property whose value is 0 or 1, shown as a boolean. */
  readonly boolean: boolean;
  /** The smallest value allowed, for numbers (e.g. 1 for Topic Alias: MQTT-3.3.2-8). */
  readonly min: number;
  /** The largest value allowed, for numbers (e.g. 1 for Maximum QoS). */
  readonly max: number;
  /** The packets (and `'will'`) the property may appear in. */
  readonly contexts: readonly PropertyContext[];
  /** Where the property may appear more than once (user properties anywhere; subscription identifier in PUBLISH). */
  readonly repeats: readonly PropertyContext[];
}

const ACKS: readonly PropertyContext[] = ['puback', 'pubrec', 'pubrel', 'pubcomp'];
const ALL: readonly PropertyContext[] = [
  'connect', 'will', 'connack', 'publish', ...ACKS, 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'disconnect', 'auth',
];
/** The largest value each numeric wire type holds (0 for the non-numeric types). */
export const PROPERTY_TYPE_MAX: Readonly<Record<PropertyType, number>> = {
  byte: 0xff,
  'two-byte': 0xffff,
  'four-byte': 0xffffffff,
  varint: MAX_VARINT,
  utf8: 0,
  binary: 0,
  'utf8-pair': 0,
};

function row(
  id: number,
  name: string,
  type: PropertyType,
  contexts: readonly PropertyContext[],
  options: { boolean?: boolean; min?: number; max?: number; repeats?: readonly PropertyContext[] } = {},
): PropertyDefinition {
  const boolean = options.boolean === true;
  return {
    id,
    name,
    type,
    boolean,
    min: options.min ?? 0,
    max: boolean ? 1 : (options.max ?? PROPERTY_TYPE_MAX[type]),
    contexts,
    repeats: options.repeats ?? [],
  };
}

/** Every MQTT 5 property, in identifier order. */
export const PROPERTIES: readonly PropertyDefinition[] = [
  row(0x01, 'payloadFormatIndicator', 'byte', ['publish', 'will'], { boolean: true }),
  row(0x02, 'messageExpiryInterval', 'four-byte', ['publish', 'will']),
  row(0x03, 'contentType', 'utf8', ['publish', 'will']),
  row(0x08, 'responseTopic', 'utf8', ['publish', 'will']),
  row(0x09, 'correlationData', 'binary', ['publish', 'will']),
  // It is a Protocol Error if the Subscription Identifier has a value of 0 (3.3.2.3.8, 3.8.2.1.2).
  row(0x0b, 'subscriptionIdentifier', 'varint', ['publish', 'subscribe'], { min: 1, repeats: ['publish'] }),
  row(0x11, 'sessionExpiryInterval', 'four-byte', ['connect', 'connack', 'disconnect']),
  row(0x12, 'assignedClientIdentifier', 'utf8', ['connack']),
  row(0x13, 'serverKeepAlive', 'two-byte', ['connack']),
  row(0x15, 'authenticationMethod', 'utf8', ['connect', 'connack', 'auth']),
  row(0x16, 'authenticationData', 'binary', ['connect', 'connack', 'auth']),
  row(0x17, 'requestProblemInformation', 'byte', ['connect'], { boolean: true }),
  row(0x18, 'willDelayInterval', 'four-byte', ['will']),
  row(0x19, 'requestResponseInformation', 'byte', ['connect'], { boolean: true }),
  row(0x1a, 'responseInformation', 'utf8', ['connack']),
  row(0x1c, 'serverReference', 'utf8', ['connack', 'disconnect']),
  row(0x1f, 'reasonString', 'utf8', ['connack', ...ACKS, 'suback', 'unsuback', 'disconnect', 'auth']),
  // It is a Protocol Error to include the value 0 (3.1.2.11.3, 3.2.2.3.3).
  row(0x21, 'receiveMaximum', 'two-byte', ['connect', 'connack'], { min: 1 }),
  row(0x22, 'topicAliasMaximum', 'two-byte', ['connect', 'connack']),
  // MQTT-3.3.2-8: a Topic Alias of 0 is not permitted.
  row(0x23, 'topicAlias', 'two-byte', ['publish'], { min: 1 }),
  row(0x24, 'maximumQoS', 'byte', ['connack'], { max: 1 }),
  row(0x25, 'retainAvailable', 'byte', ['connack'], { boolean: true }),
  row(0x26, 'userProperties', 'utf8-pair', ALL, { repeats: ALL }),
  // It is a Protocol Error to include the value 0 (3.1.2.11.4, 3.2.2.3.6).
  row(0x27, 'maximumPacketSize', 'four-byte', ['connect', 'connack'], { min: 1 }),
  row(0x28, 'wildcardSubscriptionAvailable', 'byte', ['connack'], { boolean: true }),
  row(0x29, 'subscriptionIdentifiersAvailable', 'byte', ['connack'], { boolean: true }),
  row(0x2a, 'sharedSubscriptionAvailable', 'byte', ['connack'], { boolean: true }),
];

const BY_ID: (PropertyDefinition | undefined)[] = new Array<PropertyDefinition | undefined>(256).fill(undefined);
const BY_NAME = new Map<string, PropertyDefinition>();
for (const p of PROPERTIES) {
  BY_ID[p.id] = p;
  BY_NAME.set(p.name, p);
}

/**
 * The property with identifier `id`.
 *
 * @example
 * ```ts
 * propertyById(0x26)?.name; // 'userProperties'
 * ```
 * @param id a property identifier.
 * @returns its definition, or `undefined` for an unknown identifier.
 */
export function propertyById(id: number): PropertyDefinition | undefined {
  return BY_ID[id];
}

/**
 * The property named `name` (mqtt-packet's camelCase name).
 *
 * @param name a property name, e.g. `'topicAlias'`.
 * @returns its definition, or `undefined` for an unknown name.
 */
export function propertyByName(name: string): PropertyDefinition | undefined {
  return BY_NAME.get(name);
}

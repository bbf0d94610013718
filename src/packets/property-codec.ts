/**
 * Reads and writes MQTT 5 property lists, driven by the table in `properties.ts`.
 * Validation (MQTT 5.0 section 2.2.2.2): an unknown identifier or a property not
 * valid for the packet is a Malformed Packet (0x81); a property given twice where the
 * spec allows it once, or a value the spec forbids (Topic Alias 0, Receive Maximum
 * 0, …) is a Protocol Error (0x82).
 */
import type { ByteReader } from './byte-reader.js';
import { type ByteWriter, varintSize } from './byte-writer.js';
import { MALFORMED_PACKET, MqttProtocolError, PROTOCOL_ERROR } from './errors.js';
import type { UserProperties } from './packet.js';
import {
  PROPERTY_TYPE_MAX,
  propertyById,
  propertyByName,
  type PropertyContext,
  type PropertyDefinition,
} from './properties.js';
import { checkString, MAX_FIELD_BYTES } from './utf8.js';

/** `properties.<name>` for error messages, by identifier, built once. */
const LABELS: string[] = [];
for (let id = 0; id < 256; id++) LABELS.push(`properties.${propertyById(id)?.name ?? id}`);

const USER_NAME = 'properties.userProperties name';
const USER_VALUE = 'properties.userProperties value';

/** The name of a context in error messages: `'PUBLISH'`, or `'will properties'`. */
function where(ctx: PropertyContext): string {
  return ctx === 'will' ? 'will properties' : ctx.toUpperCase();
}

/**
 * Validates `props` for `ctx` and measures it.
 *
 * @param props a `properties` object, or `undefined`.
 * @param ctx the packet (or `'will'`) it belongs to.
 * @returns the length of the property list without its own length prefix.
 * @throws MqttProtocolError naming the property when one is unknown, not allowed in
 *   `ctx`, repeated where it may not be, or out of range.
 */
export function propertiesLength(props: object | undefined, ctx: PropertyContext): number {
  if (props === undefined) return 0;
  const record = props as Record<string, unknown>;
  let size = 0;
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    const def = propertyByName(name);
    if (def === undefined) {
      throw new MqttProtocolError(`properties.${name} is not an MQTT 5 property`, MALFORMED_PACKET);
    }
    if (!def.contexts.includes(ctx)) {
      throw new MqttProtocolError(`properties.${name} is not allowed in ${where(ctx)}`, MALFORMED_PACKET);
    }
    if (def.type === 'utf8-pair') size += userPropertiesLength(value);
    else if (Array.isArray(value)) {
      if (!def.repeats.includes(ctx)) {
        throw new MqttProtocolError(`properties.${name} may appear only once in ${where(ctx)}`, PROTOCOL_ERROR);
      }
      for (const v of value as unknown[]) size += valueLength(def, v);
    } else size += valueLength(def, value);
  }
  return size;
}

/** The size of one property (identifier included) with value `v`, validated. */
function valueLength(def: PropertyDefinition, v: unknown): number {
  const field = LABELS[def.id]!;
  switch (def.type) {
    case 'utf8':
      return 3 + checkString(v, field);
    case 'binary':
      if (!(v instanceof Uint8Array)) throw new MqttProtocolError(`${field} must be a Uint8Array`, MALFORMED_PACKET);
      return 3 + checkFieldLength(v.length, field);
    default: {
      const n = def.boolean && typeof v === 'boolean' ? Number(v) : v;
      const wireMax = PROPERTY_TYPE_MAX[def.type];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > wireMax) {
        throw new MqttProtocolError(`${field} must be an integer from 0 to ${wireMax}, got ${String(v)}`, MALFORMED_PACKET);
      }
      if (n < def.min || n > def.max) {
        throw new MqttProtocolError(`${field} must be from ${def.min} to ${def.max}, got ${String(v)}`, PROTOCOL_ERROR);
      }
      return def.type === 'varint' ? 1 + varintSize(n) : def.type === 'byte' ? 2 : def.type === 'two-byte' ? 3 : 5;
    }
  }
}

function userPropertiesLength(value: unknown): number {
  if (typeof value !== 'object' || value === null) {
    throw new MqttProtocolError('properties.userProperties must be an object', MALFORMED_PACKET);
  }
  const up = value as Record<string, unknown>;
  let size = 0;
  for (const key in up) {
    const v = up[key];
    const keyLength = 5 + checkString(key, USER_NAME);
    if (Array.isArray(v)) for (const item of v as unknown[]) size += keyLength + pairValueLength(item);
    else size += keyLength + pairValueLength(v);
  }
  return size;
}

function pairValueLength(v: unknown): number {
  return checkString(v, USER_VALUE);
}

/**
 * Checks that a binary field fits its two-byte length prefix.
 *
 * @param n the field's length in bytes.
 * @param field the field name for the error.
 * @returns `n`.
 */
export function checkFieldLength(n: number, field: string): number {
  if (n > MAX_FIELD_BYTES) {
    throw new MqttProtocolError(`${field} is ${n} bytes, over the limit of ${MAX_FIELD_BYTES}`, MALFORMED_PACKET);
  }
  return n;
}

/**
 * Writes a property list (its length prefix, then each property) that
 * {@link propertiesLength} has validated and measured as `length`.
 *
 * @param w the writer.
 * @param props the `properties` object, or `undefined`.
 * @param length what {@link propertiesLength} returned for it.
 */
export function writeProperties(w: ByteWriter, props: object | undefined, length: number): void {
  w.varint(length);
  if (length === 0) return;
  const record = props as Record<string, unknown>;
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    const def = propertyByName(name)!;
    if (def.type === 'utf8-pair') {
      const up = value as UserProperties;
      for (const key in up) {
        const v = up[key]!;
        if (typeof v === 'string') writePair(w, def.id, key, v);
        else for (const item of v) writePair(w, def.id, key, item);
      }
    } else if (Array.isArray(value)) for (const v of value as unknown[]) writeValue(w, def, v);
    else writeValue(w, def, value);
  }
}

function writePair(w: ByteWriter, id: number, key: string, value: string): void {
  w.byte(id);
  w.utf8(key);
  w.utf8(value);
}

function writeValue(w: ByteWriter, def: PropertyDefinition, v: unknown): void {
  w.byte(def.id);
  switch (def.type) {
    case 'byte':
      return w.byte(Number(v));
    case 'two-byte':
      return w.twoByte(v as number);
    case 'four-byte':
      return w.fourByte(v as number);
    case 'varint':
      return w.varint(v as number);
    case 'utf8':
      return w.utf8(v as string);
    default:
      return w.binary(v as Uint8Array);
  }
}

/**
 * Reads a property list (length prefix included) at the reader's position.
 *
 * @param r the reader, positioned at the Property Length.
 * @param ctx the packet (or `'will'`) being read.
 * @returns the properties by name (typed as the packet's properties), or `undefined` when the list is empty.
 * @throws MqttProtocolError on an unknown or misplaced property (0x81), a list
 *   longer than the packet (0x81), a repeated property or a forbidden value (0x82).
 */
export function readProperties<T extends object>(r: ByteReader, ctx: PropertyContext): T | undefined {
  const length = r.varint('property length');
  if (length === 0) return undefined;
  const end = r.pos + length;
  const outerEnd = r.end;
  if (end > outerEnd) {
    throw new MqttProtocolError(
      `property length ${length} of ${where(ctx)} exceeds the ${outerEnd - r.pos} bytes left in the packet`,
      MALFORMED_PACKET,
    );
  }
  r.end = end;
  const props: Record<string, unknown> = {};
  while (r.pos < end) {
    const id = r.varint('property identifier');
    const def = propertyById(id);
    if (def === undefined) {
      throw new MqttProtocolError(`unknown property identifier 0x${id.toString(16)} in ${where(ctx)}`, MALFORMED_PACKET);
    }
    if (!def.contexts.includes(ctx)) {
      throw new MqttProtocolError(`property ${def.name} is not allowed in ${where(ctx)}`, MALFORMED_PACKET);
    }
    const name = def.name;
    const field = LABELS[id]!;
    if (def.type === 'utf8-pair') {
      const key = r.utf8(USER_NAME);
      const value = r.utf8(USER_VALUE);
      let up = props[name] as Record<string, string | string[]> | undefined;
      if (up === undefined) props[name] = up = Object.create(null) as Record<string, string | string[]>;
      const prev = up[key];
      if (prev === undefined) up[key] = value;
      else if (typeof prev === 'string') up[key] = [prev, value];
      else prev.push(value);
      continue;
    }
    let value: unknown;
    switch (def.type) {
      case 'utf8':
        value = r.utf8(field);
        break;
      case 'binary':
        value = r.binary(field);
        break;
      default: {
        const n =
          def.type === 'byte'
            ? r.byte(field)
            : def.type === 'two-byte'
              ? r.twoByte(field)
              : def.type === 'four-byte'
                ? r.fourByte(field)
                : r.varint(field);
        if (n < def.min || n > def.max) {
          throw new MqttProtocolError(`${field} must be from ${def.min} to ${def.max}, got ${n}`, PROTOCOL_ERROR);
        }
        value = def.boolean ? n === 1 : n;
      }
    }
    const prev = props[name];
    if (prev === undefined) props[name] = value;
    else if (!def.repeats.includes(ctx)) {
      throw new MqttProtocolError(`${field} appears more than once in ${where(ctx)}`, PROTOCOL_ERROR);
    } else if (Array.isArray(prev)) prev.push(value);
    else props[name] = [prev, value];
  }
  r.end = outerEnd;
  return props as T;
}

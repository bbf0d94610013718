/**
 * fast-check arbitraries for canonical packets (the form `decode` returns, see
 * `src/packets/packet.ts`) of every type, for a given protocol version. Everything
 * generated is valid for that version, so `decode(encode(p))` must give back `p`.
 *
 * Reason code lists are written here from MQTT 5.0 table 2-6 rather than imported
 * from the codec, so a wrong codec table shows up as a failing property.
 */
import fc from 'fast-check';
import type {
  AckProperties,
  AuthPacket,
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  PacketCmd,
  ProtocolVersion,
  PublishPacket,
  QoS,
  SubackPacket,
  Subscription,
  SubscribePacket,
  UnsubackPacket,
  UnsubscribePacket,
  UserProperties,
  Will,
} from '../../src/packets/packet.js';

/** The packet types of each version: AUTH only in MQTT 5. */
export const CMDS: Readonly<Record<ProtocolVersion, readonly PacketCmd[]>> = {
  3: ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect'],
  4: ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect'],
  5: ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'],
};

/** MQTT 5.0 table 2-6: the reason codes each packet may carry. */
export const REASON_CODES_BY_CMD = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrec: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  pubcomp: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnect: [
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
  ],
  auth: [0x00, 0x18, 0x19],
} as const;

/** The 3.1.1 SUBACK return codes (MQTT-3.9.3-2); MQTT 3.1 has no failure code. */
const SUBACK_RETURN_CODES: Readonly<Record<3 | 4, readonly number[]>> = { 3: [0, 1, 2], 4: [0, 1, 2, 0x80] };

/** Tuning of sizes, so a benchmark or a fuzzer can ask for bigger packets. */
export interface ArbitraryOptions {
  /** Longest string, in code points (default 12). */
  maxString?: number;
  /** Longest payload / binary field, in bytes (default 64). */
  maxBinary?: number;
}

/** The largest Variable Byte Integer (5.0 §1.5.5). */
const MAX_VARINT = 268_435_455;

const qosArb: fc.Arbitrary<QoS> = fc.constantFrom<QoS>(0, 1, 2);
/** A packet identifier: non-zero (MQTT-2.3.1-1 in 3.1.1, MQTT-2.2.1-3 in 5). */
const messageIdArb = fc.integer({ min: 1, max: 65535 });
const twoByte = (min = 0): fc.Arbitrary<number> => fc.integer({ min, max: 0xffff });
const fourByte = (min = 0): fc.Arbitrary<number> => fc.integer({ min, max: 0xffffffff });

/**
 * Builds the arbitraries of one version.
 *
 * @param version 3, 4 or 5.
 * @param options sizes.
 * @returns an arbitrary per packet type (AUTH only in 5) and `packet`, any of them.
 */
export function packetArbitraries(
  version: ProtocolVersion,
  options: ArbitraryOptions = {},
): { byCmd: Partial<Record<PacketCmd, fc.Arbitrary<Packet>>>; packet: fc.Arbitrary<Packet> } {
  const maxString = options.maxString ?? 12;
  const maxBinary = options.maxBinary ?? 64;
  const v5 = version === 5;

  /**
   * A valid MQTT string: any code point but U+0000 (MQTT-1.5.4-2); fast-check's
   * 'binary' unit never yields a lone surrogate (MQTT-1.5.4-1). Mostly ASCII, so
   * collisions and empty strings come up, with some full Unicode.
   */
  const text = (minLength = 0): fc.Arbitrary<string> =>
    fc
      .oneof(
        { weight: 3, arbitrary: fc.string({ minLength, maxLength: maxString }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: maxString }) },
      )
      .map((s) => s.replace(/\u0000/g, '0'));
  const binary = fc.uint8Array({ maxLength: maxBinary });
  /** A Topic Name: no wildcards (MQTT-3.3.2-2), at least one character (MQTT-4.7.3-1). */
  const topicName = text(1).map((s) => s.replace(/[+#]/g, '_'));
  /** A valid Topic Filter: levels, '+' as a whole level, '#' only last (4.7.1); sometimes a shared one (5: 4.8.2). */
  const level = fc.oneof(
    { weight: 4, arbitrary: text().map((s) => s.replace(/[+#/]/g, '_')) },
    { weight: 1, arbitrary: fc.constant('+') },
  );
  const plainFilter = fc
    .tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'));
  const topicFilter = v5
    ? fc.oneof(
        { weight: 5, arbitrary: plainFilter },
        {
          weight: 1,
          arbitrary: fc
            .tuple(text(1).map((s) => s.replace(/[+#/]/g, '_')), plainFilter)
            .map(([group, filter]) => `$share/${group}/${filter}`),
        },
      )
    : plainFilter;

  /** User properties: names unique in the object, a name repeated on the wire becomes an array (order kept). */
  const userProperties: fc.Arbitrary<UserProperties> = fc
    .uniqueArray(
      fc.tuple(
        text().filter((name) => name !== '__proto__'),
        fc.array(text(), { minLength: 1, maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 3, selector: ([name]) => name },
    )
    .map((pairs) => {
      const up: UserProperties = {};
      for (const [name, values] of pairs) up[name] = values.length === 1 ? values[0]! : values;
      return up;
    });

  /** Optional properties, dropped altogether when none was chosen (canonical form). */
  function props<T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T | undefined> {
    return fc
      .record(model, { requiredKeys: [], noNullPrototype: true })
      .map((p) => (Object.keys(p).length === 0 ? undefined : (p as T)));
  }
  /** Sets `properties` (or another key) on `target` only when defined. */
  function withKey<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
    return target;
  }
  const reasonCode = (cmd: keyof typeof REASON_CODES_BY_CMD): fc.Arbitrary<number> =>
    fc.constantFrom(...REASON_CODES_BY_CMD[cmd]);
  const ackProps = props<AckProperties>({ reasonString: text(), userProperties });

  const will: fc.Arbitrary<Will> = fc
    .record({
      topic: topicName,
      payload: binary,
      qos: qosArb,
      retain: fc.boolean(),
      properties: v5
        ? props({
            willDelayInterval: fourByte(),
            payloadFormatIndicator: fc.boolean(),
            messageExpiryInterval: fourByte(),
            contentType: text(),
            responseTopic: topicName,
            correlationData: binary,
            userProperties,
          })
        : fc.constant(undefined),
    })
    .map(({ properties, ...w }) => withKey<Will, 'properties', object>(w, 'properties', properties));

  const connect: fc.Arbitrary<ConnectPacket> = fc
    .record({
      // MQTT 3.1 requires a client identifier of 1 to 23 characters (3.1 §3.1).
      clientId: version === 3 ? fc.string({ minLength: 1, maxLength: 23 }) : text(),
      clean: fc.boolean(),
      keepalive: twoByte(),
      will: fc.option(will, { nil: undefined }),
      username: fc.option(text(), { nil: undefined }),
      password: fc.option(binary, { nil: undefined }),
      properties: v5
        ? props({
            sessionExpiryInterval: fourByte(),
            receiveMaximum: twoByte(1),
            maximumPacketSize: fourByte(1),
            topicAliasMaximum: twoByte(),
            requestResponseInformation: fc.boolean(),
            requestProblemInformation: fc.boolean(),
            userProperties,
            authenticationMethod: text(),
            authenticationData: binary,
          })
        : fc.constant(undefined),
    })
    .map(({ clientId, clean, keepalive, will: w, username, password, properties }) => {
      const p: ConnectPacket = {
        cmd: 'connect',
        protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
        protocolVersion: version,
        clientId,
        // MQTT-3.1.3-7 (3.1.1): a zero-byte client identifier needs clean session 1.
        clean: clean || (!v5 && clientId === ''),
        keepalive,
      };
      withKey(p, 'properties', properties);
      withKey(p, 'will', w);
      withKey(p, 'username', username);
      // MQTT-3.1.2-22 (3.1.1): no password without a user name; allowed in 5.
      if (v5 || username !== undefined) withKey(p, 'password', password);
      return p;
    });

  const connack: fc.Arbitrary<ConnackPacket> = fc
    .record({
      sessionPresent: fc.boolean(),
      code: v5 ? reasonCode('connack') : fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 255 })),
      properties: v5
        ? props({
            sessionExpiryInterval: fourByte(),
            receiveMaximum: twoByte(1),
            maximumQoS: fc.constantFrom(0, 1),
            retainAvailable: fc.boolean(),
            maximumPacketSize: fourByte(1),
            assignedClientIdentifier: text(),
            topicAliasMaximum: twoByte(),
            reasonString: text(),
            userProperties,
            wildcardSubscriptionAvailable: fc.boolean(),
            subscriptionIdentifiersAvailable: fc.boolean(),
            sharedSubscriptionAvailable: fc.boolean(),
            serverKeepAlive: twoByte(),
            responseInformation: text(),
            serverReference: text(),
            authenticationMethod: text(),
            authenticationData: binary,
          })
        : fc.constant(undefined),
    })
    .map(({ sessionPresent, code, properties }) => {
      // MQTT-3.2.2-4 (3.1.1) / MQTT-3.2.2-6 (5): no session present on a refusal.
      const p: ConnackPacket = { cmd: 'connack', sessionPresent: sessionPresent && code === 0 };
      if (v5) p.reasonCode = code;
      else p.returnCode = code;
      return withKey(p, 'properties', properties);
    });

  const publish: fc.Arbitrary<PublishPacket> = fc
    .record({
      topic: topicName,
      emptyTopic: fc.boolean(),
      payload: fc.oneof({ weight: 5, arbitrary: binary }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 128, maxLength: 600 }) }),
      qos: qosArb,
      dup: fc.boolean(),
      retain: fc.boolean(),
      messageId: messageIdArb,
      properties: v5
        ? props({
            payloadFormatIndicator: fc.boolean(),
            messageExpiryInterval: fourByte(),
            topicAlias: twoByte(1),
            responseTopic: topicName,
            correlationData: binary,
            userProperties,
            // A single identifier, or several when the message matched several subscriptions (3.3.4).
            subscriptionIdentifier: fc.oneof(
              fc.integer({ min: 1, max: MAX_VARINT }),
              fc.array(fc.integer({ min: 1, max: MAX_VARINT }), { minLength: 2, maxLength: 3 }),
            ),
            contentType: text(),
          })
        : fc.constant(undefined),
    })
    .map(({ topic, emptyTopic, payload, qos, dup, retain, messageId, properties }) => {
      // 3.3.2.1: a zero-length topic only with a topic alias.
      const p: PublishPacket = {
        cmd: 'publish',
        topic: emptyTopic && properties?.topicAlias !== undefined ? '' : topic,
        payload,
        qos,
        // MQTT-3.3.1-2: DUP is 0 for QoS 0.
        dup: qos > 0 && dup,
        retain,
      };
      // MQTT-2.2.1-2 (5) / MQTT-2.3.1-5 (3.1.1): a packet identifier only for QoS 1 and 2.
      if (qos > 0) p.messageId = messageId;
      return withKey(p, 'properties', properties);
    });

  const ack = <C extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>(cmd: C): fc.Arbitrary<Packet> =>
    fc.record({ messageId: messageIdArb, reasonCode: reasonCode(cmd), properties: ackProps }).map(({ messageId, reasonCode: rc, properties }) => {
      const p = { cmd, messageId } as Extract<Packet, { cmd: C }>;
      if (!v5) return p;
      (p as { reasonCode?: number }).reasonCode = rc;
      return withKey(p, 'properties', properties);
    });

  const subscription: fc.Arbitrary<Subscription> = fc
    .record({ topic: topicFilter, qos: qosArb, nl: fc.boolean(), rap: fc.boolean(), rh: fc.constantFrom(0, 1, 2) })
    .map(({ topic, qos, nl, rap, rh }) =>
      // 5: the options always decode to nl/rap/rh; No Local on a shared subscription is a Protocol Error (MQTT-3.8.3-4).
      v5 ? { topic, qos, nl: nl && !topic.startsWith('$share/'), rap, rh } : { topic, qos },
    );

  const subscribe: fc.Arbitrary<SubscribePacket> = fc
    .record({
      messageId: messageIdArb,
      subscriptions: fc.array(subscription, { minLength: 1, maxLength: 4 }),
      properties: v5
        ? props({ subscriptionIdentifier: fc.integer({ min: 1, max: MAX_VARINT }), userProperties })
        : fc.constant(undefined),
    })
    .map(({ properties, ...s }) => withKey<SubscribePacket, 'properties', object>({ cmd: 'subscribe', ...s }, 'properties', properties));

  const suback: fc.Arbitrary<SubackPacket> = fc
    .record({
      messageId: messageIdArb,
      granted: fc.array(v5 ? reasonCode('suback') : fc.constantFrom(...SUBACK_RETURN_CODES[version as 3 | 4]), {
        minLength: 1,
        maxLength: 4,
      }),
      properties: v5 ? ackProps : fc.constant(undefined),
    })
    .map(({ properties, ...s }) => withKey<SubackPacket, 'properties', object>({ cmd: 'suback', ...s }, 'properties', properties));

  const unsubscribe: fc.Arbitrary<UnsubscribePacket> = fc
    .record({
      messageId: messageIdArb,
      unsubscriptions: fc.array(topicFilter, { minLength: 1, maxLength: 4 }),
      properties: v5 ? props({ userProperties }) : fc.constant(undefined),
    })
    .map(({ properties, ...u }) =>
      withKey<UnsubscribePacket, 'properties', object>({ cmd: 'unsubscribe', ...u }, 'properties', properties),
    );

  const unsuback: fc.Arbitrary<UnsubackPacket> = fc
    .record({
      messageId: messageIdArb,
      granted: fc.array(reasonCode('unsuback'), { minLength: 1, maxLength: 4 }),
      properties: ackProps,
    })
    .map(({ messageId, granted, properties }) =>
      v5
        ? withKey<UnsubackPacket, 'properties', object>({ cmd: 'unsuback', messageId, granted }, 'properties', properties)
        : { cmd: 'unsuback', messageId },
    );

  const disconnect: fc.Arbitrary<DisconnectPacket> = fc
    .record({
      reasonCode: reasonCode('disconnect'),
      properties: props({ sessionExpiryInterval: fourByte(), reasonString: text(), userProperties, serverReference: text() }),
    })
    .map(({ reasonCode: rc, properties }) =>
      v5 ? withKey<DisconnectPacket, 'properties', object>({ cmd: 'disconnect', reasonCode: rc }, 'properties', properties) : { cmd: 'disconnect' },
    );

  const auth: fc.Arbitrary<AuthPacket> = fc
    .record({
      reasonCode: reasonCode('auth'),
      properties: props({ authenticationMethod: text(), authenticationData: binary, reasonString: text(), userProperties }),
    })
    .map(({ reasonCode: rc, properties }) => withKey<AuthPacket, 'properties', object>({ cmd: 'auth', reasonCode: rc }, 'properties', properties));

  const byCmd: Partial<Record<PacketCmd, fc.Arbitrary<Packet>>> = {
    connect,
    connack,
    publish,
    puback: ack('puback'),
    pubrec: ack('pubrec'),
    pubrel: ack('pubrel'),
    pubcomp: ack('pubcomp'),
    subscribe,
    suback,
    unsubscribe,
    unsuback,
    pingreq: fc.constant({ cmd: 'pingreq' }),
    pingresp: fc.constant({ cmd: 'pingresp' }),
    disconnect,
  };
  if (v5) byCmd.auth = auth;
  const all = CMDS[version].map((cmd) => byCmd[cmd]!);
  return { byCmd, packet: fc.oneof(...all) };
}

/**
 * Any canonical packet valid in `version`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(packetArb(5), (p) => { expect(decode(encode(p, 5), 5)).toEqual(p); }));
 * ```
 * @param version 3, 4 or 5.
 * @param options sizes.
 * @returns the arbitrary.
 */
export function packetArb(version: ProtocolVersion, options?: ArbitraryOptions): fc.Arbitrary<Packet> {
  return packetArbitraries(version, options).packet;
}

/**
 * Canonical packets of one type.
 *
 * @param cmd the packet type; `'auth'` only with version 5.
 * @param version 3, 4 or 5.
 * @param options sizes.
 * @returns the arbitrary.
 */
export function packetOfArb(cmd: PacketCmd, version: ProtocolVersion, options?: ArbitraryOptions): fc.Arbitrary<Packet> {
  const arb = packetArbitraries(version, options).byCmd[cmd];
  if (arb === undefined) throw new Error(`${cmd} does not exist in version ${version}`);
  return arb;
}

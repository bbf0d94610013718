import { encodingProblem } from '../packets/encoding-problem.js';
import type { QoS, Will } from '../packets/packet.js';
import { validateTopicName } from '../packets/topic.js';
import { DEFAULT_RECONNECT, type ReconnectPolicy } from '../protocol/backoff.js';
import { connectPacket } from '../protocol/connect-packet.js';
import type { SessionConfig } from '../protocol/session-config.js';
import { memoryStore } from '../store/memory-store.js';
import type { BrokerUrl } from './broker-url.js';
import type { ClientOptions } from './client-options.js';

/** MQTT 3.1: a client identifier has 1 to 23 characters (bytes once encoded). */
const MAX_CLIENT_ID_V3 = 23;

/** The protocol's largest packet: 268435455 bytes of remaining length. */
export const MAX_PACKET_SIZE = 268435455;

const utf8 = new TextEncoder();
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Applies the defaults of API.md to `options` and checks them.
 *
 * @param options what the user gave.
 * @param broker credentials of a URL, which plain ones in the options win over (the
 *   client passes none: each attempt's CONNECT carries the credentials of its server).
 * @param packetSize the exact encoded size of a packet (for the server's limit).
 * @returns the session's configuration.
 * @throws TypeError / RangeError naming the option that is wrong.
 */
export function resolveOptions(
  options: ClientOptions,
  broker: Pick<BrokerUrl, 'username' | 'password'>,
  packetSize: SessionConfig['packetSize'],
): SessionConfig {
  const version = options.protocolVersion ?? 4;
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new RangeError(`protocolVersion must be 3, 4 or 5, not ${String(version)}`);
  }
  const random = options.random ?? Math.random;
  const keepalive = integer('keepalive', options.keepalive ?? 60, 0, 65535);
  const connectTimeout = integer('connectTimeout', options.connectTimeout ?? 30000, 1, 2147483647);
  const queueLimit = integer('queueLimit', options.queueLimit ?? 10000, 0, 2147483647);
  const maxPacketSize = integer('maxPacketSize', options.maxPacketSize ?? MAX_PACKET_SIZE, 2, MAX_PACKET_SIZE);
  // Functions are asked per attempt by the client, which hands their values to the session.
  const username = typeof options.username === 'function' ? undefined : (options.username ?? broker.username);
  const password = typeof options.password === 'function' ? undefined : (options.password ?? broker.password);
  const clientId = options.clientId ?? generateClientId(random);
  if (version === 3) checkClientIdV3(clientId);
  const config: {
    -readonly [K in keyof SessionConfig]: SessionConfig[K];
  } = {
    protocolVersion: version,
    clientId,
    clean: options.clean ?? true,
    keepalive,
    connectTimeout,
    reconnect: reconnectPolicy(options.reconnect),
    maxPacketSize,
    queueLimit,
    store: options.store ?? memoryStore(),
    random,
    packetSize,
  };
  if (options.maxInflight !== undefined) config.maxInflight = integer('maxInflight', options.maxInflight, 1, 65535);
  if (username !== undefined) config.username = username;
  if (password !== undefined) config.password = typeof password === 'string' ? utf8.encode(password) : password;
  if (options.will !== undefined) config.will = will(options.will, version);
  if (options.sessionExpiryInterval !== undefined) {
    config.sessionExpiryInterval = integer('sessionExpiryInterval', options.sessionExpiryInterval, 0, 4294967295);
  }
  if (options.properties !== undefined && version === 5) config.properties = options.properties;
  if (options.followRedirects === true) config.followRedirects = true;
  if (typeof options.username === 'function' || typeof options.password === 'function') config.askedCredentials = true;
  if (options.topicAliases === false) config.topicAliases = false;
  if (options.enforceReceiveMaximum === false) config.enforceReceiveMaximum = false;
  if (options.properties?.authenticationMethod !== undefined || options.properties?.authenticationData !== undefined) {
    throw new TypeError('properties.authenticationMethod / authenticationData: use the authenticate option');
  }
  if (options.authenticate !== undefined) config.authentication = authentication(options.authenticate, version);
  checkConnect(config);
  return config;
}

/**
 * A CONNECT that cannot be encoded (`properties` or a will of the wrong kind) would fail
 * on the wire at every attempt, and the client would reconnect for ever: refused here.
 */
function checkConnect(config: SessionConfig): void {
  const problem = encodingProblem(connectPacket(config, config.clientId, config.clean), config.protocolVersion, 'the CONNECT cannot be encoded');
  if (problem !== undefined) throw problem;
}

/** MQTT 3.1 §3.1 (CONNECT payload): the Client Identifier is 1 to 23 characters; longer gets CONNACK 2. */
function checkClientIdV3(clientId: string): void {
  const length = utf8.encode(clientId).length;
  if (length < 1 || length > MAX_CLIENT_ID_V3) {
    throw new TypeError(
      `clientId must have 1 to ${MAX_CLIENT_ID_V3} characters in MQTT 3.1 (protocolVersion 3), not ${JSON.stringify(clientId)} (${length} bytes)`,
    );
  }
}

function reconnectPolicy(option: ClientOptions['reconnect']): ReconnectPolicy | false {
  if (option === false) return false;
  const policy = { ...DEFAULT_RECONNECT, ...option };
  // An initialDelay above the default maxDelay, with no maxDelay given, raises the cap.
  if (option?.maxDelay === undefined && policy.initialDelay > policy.maxDelay) policy.maxDelay = policy.initialDelay;
  if (!(policy.initialDelay >= 0) || !(policy.maxDelay >= policy.initialDelay) || !(policy.factor >= 1)) {
    throw new RangeError('reconnect needs 0 ≤ initialDelay ≤ maxDelay and factor ≥ 1');
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError('reconnect.jitter must lie in [0, 1]');
  return policy;
}

function authentication(option: NonNullable<ClientOptions['authenticate']>, version: number): NonNullable<SessionConfig['authentication']> {
  if (version !== 5) throw new TypeError('authenticate needs protocolVersion 5 (enhanced authentication is MQTT 5)');
  if (typeof option.method !== 'string' || option.method === '') throw new TypeError('authenticate.method must be a non-empty string');
  const data = option.data;
  if (data !== undefined && typeof data !== 'function' && !(data instanceof Uint8Array)) {
    throw new TypeError('authenticate.data must be a Uint8Array or a function returning an Observable of one');
  }
  // A function's data comes with each attempt's credentials.
  return data === undefined || typeof data === 'function' ? { method: option.method } : { method: option.method, data };
}

function will(option: NonNullable<ClientOptions['will']>, version: number): Will {
  const problem = validateTopicName(option.topic);
  if (problem !== undefined) throw new TypeError(`will.topic: ${problem}`);
  const qos = option.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new RangeError(`will.qos must be 0, 1 or 2, not ${String(qos)}`);
  const result: Will = {
    topic: option.topic,
    payload: typeof option.payload === 'string' ? utf8.encode(option.payload) : option.payload,
    qos: qos as QoS,
    retain: option.retain ?? false,
  };
  if (option.properties !== undefined && version === 5) result.properties = option.properties;
  return result;
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, not ${String(value)}`);
  }
  return value;
}

function generateClientId(random: () => number): string {
  let id = 'rxmqtt_';
  for (let i = 0; i < 8; i++) id += ID_CHARS[Math.floor(random() * ID_CHARS.length)];
  return id;
}

import type { Observable, SchedulerLike } from 'rxjs';
import type { ConnectProperties, ProtocolVersion, QoS, WillProperties } from '../packets/packet.js';
import type { AuthAnswer } from '../protocol/auth-answer.js';
import type { AuthChallenge } from '../protocol/auth-challenge.js';
import type { SessionStore } from '../store/session-store.js';
import type { TlsTransportOptions } from '../transport/tls-options.js';
import type { Transport } from '../transport/transport.js';

/**
 * A value, or a function asked again before every connection attempt: its first
 * value is used (an error or an empty completion fails that attempt with
 * `MqttCredentialsError`, and the client retries after the backoff). For tokens that
 * expire, and URLs that are signed for a while.
 *
 * @example
 * ```ts
 * const password: PerAttempt<string> = () => from(fetchToken());
 * ```
 */
export type PerAttempt<T> = T | (() => Observable<T>);

/** A server's URL: a string, a `URL`, or a function giving one before each attempt to that server. */
export type ServerAddress = PerAttempt<string | URL>;

/** Exponential backoff between reconnect attempts (ms); every field optional. */
export interface ReconnectOptions {
  /** Delay before the first reconnect attempt; default 1000. */
  initialDelay?: number;
  /** Cap of every delay, jitter included; default 30000. */
  maxDelay?: number;
  /** Growth per failed attempt; default 2. */
  factor?: number;
  /** Fraction (0–1) by which a delay may be shortened at random; default 0.2. */
  jitter?: number;
}

/** The will message the server publishes if the connection ends without DISCONNECT. */
export interface WillOptions {
  topic: string;
  payload: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
  /** MQTT 5 will properties. */
  properties?: WillProperties;
}

/**
 * MQTT 5 enhanced authentication (MQTT 5 section 4.12): CONNECT names `method` (with
 * `data` as the initial Authentication Data); each challenge of the server (AUTH 0x18)
 * goes to `respond`, and the first value it emits goes back in an AUTH 0x18.
 *
 * @example
 * ```ts
 * const authenticate: AuthenticateOptions = {
 *   method: 'SCRAM-SHA-256',
 *   data: clientFirst(),
 *   respond: (challenge) => of(clientFinal(challenge.authenticationData)),
 * };
 * ```
 */
export interface AuthenticateOptions {
  /** The Authentication Method, e.g. `'SCRAM-SHA-256'`. */
  method: string;
  /**
   * The Authentication Data of CONNECT (and the default of `reauthenticate()`). A
   * function is asked before every attempt and by every `reauthenticate()` without
   * data: a fresh nonce each time, as SCRAM's client-first-message needs. A function
   * that fails or completes empty fails the attempt with `MqttCredentialsError`
   * (`option: 'authenticate.data'`), and the client retries per policy.
   */
  data?: PerAttempt<Uint8Array>;
  /**
   * Answers a challenge: the first value goes back as Authentication Data (`undefined`:
   * an AUTH without data), or as an {@link AuthAnswer} with a Reason String and User
   * Properties too. Failing, completing without a value, or giving something else ends
   * the attempt with a `MqttAuthenticationError` (DISCONNECT 0x80, then reconnect per
   * policy). The connect timeout keeps running meanwhile. Without it, a challenge fails
   * the same way.
   */
  respond?: (challenge: AuthChallenge) => Observable<Uint8Array | AuthAnswer | undefined>;
}

/**
 * Options of {@link connect}; all optional. See API.md for the defaults.
 *
 * @example
 * ```ts
 * connect('mqtts://broker', { protocolVersion: 5, keepalive: 30, reconnect: { maxDelay: 10000 } });
 * ```
 */
export interface ClientOptions {
  /** 3 (3.1), 4 (3.1.1) or 5; default 4. */
  protocolVersion?: ProtocolVersion;
  /** Default `rxmqtt_` + 8 random characters; `''` asks the server to assign one. */
  clientId?: string;
  /** Clean Session (3.x) / Clean Start of the first connection (5); default true. */
  clean?: boolean;
  /** MQTT 5 session expiry, seconds. */
  sessionExpiryInterval?: number;
  /** Seconds; 0 disables; default 60. */
  keepalive?: number;
  /** User name; wins over one in a URL. A function is asked before every attempt. */
  username?: PerAttempt<string>;
  /** Password; wins over one in a URL. A function is asked before every attempt (tokens). */
  password?: PerAttempt<string | Uint8Array>;
  /**
   * More servers: `connect(url, { servers })` tries `url`, then these, in turn, one per
   * attempt after a failure (wrapping around), and stays on a server while it works;
   * `connect({ servers })` starts with the first. Each has its own scheme (transport)
   * and may carry credentials. `state$` names the server of each attempt.
   */
  servers?: ServerAddress[];
  /**
   * MQTT 5: when a server refuses the connection or disconnects with 0x9C (Use another
   * server) or 0x9D (Server moved) and a Server Reference, connect there at once (0x9D:
   * for good, in place of that server). At most 5 redirects between two successful
   * connections; redirects do not lengthen the backoff; none with `reconnect: false`.
   * Default false: retried like any transient refusal.
   */
  followRedirects?: boolean;
  will?: WillOptions;
  /** Ms to wait for CONNACK; default 30000. Also bounds the grace of `end()`. */
  connectTimeout?: number;
  /** `false`, or the backoff; default `{ initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0.2 }`. */
  reconnect?: false | ReconnectOptions;
  /** Outbound QoS 1/2 window; default 20 (3.x) or the server's Receive Maximum (5). */
  maxInflight?: number;
  /** Largest packet accepted from the network, bytes; default 268435455. */
  maxPacketSize?: number;
  /** Publishes held while offline; default 10000. */
  queueLimit?: number;
  /** Where in-flight state lives; default in memory. */
  store?: SessionStore;
  /** Overrides the transport chosen from the URL scheme. */
  transport?: Transport;
  /** Every timer and the clock; default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** MQTT 5 CONNECT properties. */
  properties?: ConnectProperties;
  /**
   * MQTT 5: when the server's CONNACK allows topic aliases (Topic Alias Maximum > 0),
   * outbound PUBLISHes get them by themselves (the least recently used topic gives its
   * alias up when all are taken). Default true; `false` sends full topics always.
   */
  topicAliases?: boolean;
  /**
   * MQTT 5: a server that sends more unacknowledged QoS 1/2 messages than our Receive
   * Maximum (`properties.receiveMaximum`, when set below 65535) is disconnected with
   * 0x93 (Receive Maximum exceeded). Default true; `false` tolerates it. Mosquitto
   * 2.0.11 exceeds it once acknowledgements are slow (manual ack): see docs/reliability.md.
   */
  enforceReceiveMaximum?: boolean;
  /** MQTT 5 enhanced authentication; see {@link AuthenticateOptions}. */
  authenticate?: AuthenticateOptions;
  /** TLS options for `mqtts:` / `tls:` / `wss:` (Node; browsers ignore them). */
  tls?: TlsTransportOptions;
  /** TCP_NODELAY on TCP/TLS sockets; default true. */
  noDelay?: boolean;
  /**
   * Numbers in [0, 1) for the generated client id and the backoff jitter; default
   * `Math.random`. Inject one to make reconnect delays deterministic in tests.
   */
  random?: () => number;
}

import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import type { ConnackPacket, Packet, PublishPacket, QoS } from '../../src/packets/packet.js';
import type { SessionConnectionState } from '../../src/protocol/connection-state.js';
import type { MqttStoreError } from '../../src/protocol/errors.js';
import type { AuthChallenge } from '../../src/protocol/auth-challenge.js';
import type { PublishRequest, PublishResult } from '../../src/protocol/publish-request.js';
import { Session } from '../../src/protocol/session.js';
import type { SessionConfig } from '../../src/protocol/session-config.js';
import type { SessionOutput, TimerName } from '../../src/protocol/session-output.js';
import type { SubscribeOptions, TopicStream } from '../../src/protocol/topic-stream.js';
import { memoryStore } from '../../src/store/memory-store.js';

/** A publish request with a name for the assertions. */
export interface Req extends PublishRequest {
  readonly name: string;
}

/** A topic stream with a name for the assertions. */
export interface Stream extends TopicStream {
  readonly name: string;
}

/** One recorded effect. */
export type Effect =
  | { type: 'open' }
  | { type: 'send'; packet: Packet }
  | { type: 'close' }
  | { type: 'state'; state: SessionConnectionState }
  | { type: 'message'; message: MqttMessage }
  | { type: 'deliver'; stream: string; message: MqttMessage }
  | { type: 'settle'; request: string; result: PublishResult }
  | { type: 'reject'; request: string; error: Error }
  | { type: 'streamError'; stream: string; error: Error }
  | { type: 'streamComplete'; stream: string }
  | { type: 'subscribed'; stream: string }
  | { type: 'arm'; timer: TimerName; ms: number }
  | { type: 'disarm'; timer: TimerName }
  | { type: 'storeError'; error: MqttStoreError }
  | { type: 'authChallenge'; challenge: AuthChallenge; token: number }
  | { type: 'reauthenticated'; error: Error | undefined };

/** Records every effect of a session, in order. */
export class Recorder implements SessionOutput<Req, Stream> {
  effects: Effect[] = [];
  /** Record `subscribed` effects too. */
  trackSubscribed = false;
  open(): void {
    this.effects.push({ type: 'open' });
  }
  send(packet: Packet): void {
    this.effects.push({ type: 'send', packet });
  }
  close(): void {
    this.effects.push({ type: 'close' });
  }
  state(state: SessionConnectionState): void {
    this.effects.push({ type: 'state', state });
  }
  message(message: MqttMessage): void {
    this.effects.push({ type: 'message', message });
  }
  deliver(stream: Stream, message: MqttMessage): void {
    this.effects.push({ type: 'deliver', stream: stream.name, message });
  }
  settle(request: Req, result: PublishResult): void {
    this.effects.push({ type: 'settle', request: request.name, result });
  }
  reject(request: Req, error: Error): void {
    this.effects.push({ type: 'reject', request: request.name, error });
  }
  streamError(stream: Stream, error: Error): void {
    this.effects.push({ type: 'streamError', stream: stream.name, error });
  }
  /** Recorded only when `trackSubscribed` is set (most tests list effects exactly). */
  subscribed(stream: Stream): void {
    if (this.trackSubscribed) this.effects.push({ type: 'subscribed', stream: stream.name });
  }
  streamComplete(stream: Stream): void {
    this.effects.push({ type: 'streamComplete', stream: stream.name });
  }
  arm(timer: TimerName, ms: number): void {
    this.effects.push({ type: 'arm', timer, ms });
  }
  disarm(timer: TimerName): void {
    this.effects.push({ type: 'disarm', timer });
  }
  storeError(error: MqttStoreError): void {
    this.effects.push({ type: 'storeError', error });
  }
  authChallenge(challenge: AuthChallenge, token: number): void {
    this.effects.push({ type: 'authChallenge', challenge, token });
  }
  reauthenticated(error: Error | undefined): void {
    this.effects.push({ type: 'reauthenticated', error });
  }

  /** @returns the effects recorded since the last call, and forgets them. */
  take(): Effect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  /** @returns the packets sent since the last `take`, and forgets every effect. */
  sent(): Packet[] {
    return this.take().flatMap((e) => (e.type === 'send' ? [e.packet] : []));
  }
}

/** A session config with test defaults (3.1.1, keepalive 60, no jitter). */
export function config(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    protocolVersion: 4,
    clientId: 'test-client',
    clean: true,
    keepalive: 60,
    connectTimeout: 30000,
    reconnect: { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0 },
    maxPacketSize: 268435455,
    queueLimit: 10000,
    store: memoryStore(),
    random: () => 0.5,
    packetSize: () => 0,
    ...overrides,
  };
}

/** A session with its recorder. */
export function session(overrides: Partial<SessionConfig> = {}): { s: Session<Req, Stream>; out: Recorder } {
  const out = new Recorder();
  return { s: new Session<Req, Stream>(config(overrides), out), out };
}

/** A CONNACK accepting the connection. */
export function connack(sessionPresent = false, extra: Partial<ConnackPacket> = {}): ConnackPacket {
  return { cmd: 'connack', sessionPresent, returnCode: 0, ...extra };
}

/** Starts `s`, opens the connection and accepts it; forgets the effects. */
export function connected(s: Session<Req, Stream>, out: Recorder, ack: ConnackPacket = connack(), now = 0): void {
  s.start(now);
  s.opened(now);
  s.received(ack, now);
  out.take();
}

/** Loses the connection and reconnects after the backoff with `ack`; forgets the effects. */
export function reconnect(s: Session<Req, Stream>, out: Recorder, ack: ConnackPacket, now = 0): Packet[] {
  s.closed(new Error('lost'), now);
  s.timer('reconnect', now);
  s.opened(now);
  out.take();
  s.received(ack, now);
  return out.sent();
}

/** A publish request. */
export function req(name: string, qos: QoS = 1, topic = 'a/b', payload = new Uint8Array([1])): Req {
  return { name, topic, payload, qos, retain: false };
}

/** A topic stream. */
export function stream(name: string, filter: string, options: SubscribeOptions = {}): Stream {
  return { name, filter, options };
}

/** An incoming PUBLISH. */
export function incoming(topic: string, qos: QoS = 0, messageId?: number, dup = false): PublishPacket {
  const p: PublishPacket = { cmd: 'publish', topic, payload: new Uint8Array([7]), qos, dup, retain: false };
  if (messageId !== undefined) p.messageId = messageId;
  return p;
}

/** The `cmd`s of some packets, with their message ids. */
export function cmds(packets: Packet[]): string[] {
  return packets.map((p) => ('messageId' in p && p.messageId !== undefined ? `${p.cmd}:${p.messageId}` : p.cmd));
}

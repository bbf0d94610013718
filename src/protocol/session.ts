import type { MqttMessage } from '../packets/mqtt-message.js';
import { MqttProtocolError } from '../packets/errors.js';
import type {
  AckProperties,
  AuthPacket,
  ConnackPacket,
  Packet,
  PubackPacket,
  PubcompPacket,
  PublishPacket,
  PubrecPacket,
  PubrelPacket,
  ProtocolVersion,
  PublishProperties,
  QoS,
  SubackPacket,
  UserProperties,
} from '../packets/packet.js';
import { connackVerdict } from './connack-verdict.js';
import { connectPacket } from './connect-packet.js';
import type { Credentials } from './credentials.js';
import { ackPacket } from './ack-packet.js';
import { ackReasonProperties, refuses, type AckReason } from './ack-reason.js';
import { disconnectError } from './disconnect-error.js';
import { connectionClosedError } from './connection-closed-error.js';
import { unexpectedPacket } from './unexpected-packet.js';
import {
  checkDisconnectRequest,
  disconnectPacket,
  mergeDisconnectRequests,
  type CheckedDisconnect,
  type DisconnectRequest,
} from './disconnect-packet.js';
import { AuthExchange } from './auth-exchange.js';
import type { AuthAnswer } from './auth-answer.js';
import { authPacket, CONTINUE_AUTHENTICATION, REAUTHENTICATE } from './auth-packet.js';
import { unsubscribePacket } from './unsubscribe-packet.js';
import { inboundAuth } from './inbound-auth.js';
import {
  MqttAuthenticationError,
  MqttClosedError,
  MqttConnectionError,
  MqttPublishError,
  MqttStoreError,
  MqttTimeoutError,
} from './errors.js';
import { OutgoingAliases } from './outgoing-aliases.js';
import { InboundAcks } from './inbound-acks.js';
import { IncomingAliases } from './incoming-aliases.js';
import { enforcedReceiveMaximum } from './enforced-receive-maximum.js';
import { Keepalive } from './keepalive.js';
import { MessageRouter } from './message-router.js';
import { fitPacket, packetFits, publishFits } from './packet-fits.js';
import { guardStore } from './guard-store.js';
import { OfflineQueue } from './offline-queue.js';
import { OutboundFlows, type OutboundFlow } from './outbound-flows.js';
import { PacketIds } from './packet-ids.js';
import { subscribePacket } from './subscribe-packet.js';
import { subscribeRefusal } from './subscribe-refusal.js';
import { subackRefusal } from './suback-refusal.js';
import { SubscribeFlows } from './subscribe-flows.js';
import { SubscriptionTable, type Sub } from './subscription-table.js';
import { publishOutcome } from './publish-outcome.js';
import { publishPacket } from './publish-packet.js';
import { publishRefusal } from './publish-refusal.js';
import { ReconnectAttempts } from './reconnect-attempts.js';
import type { PublishRequest, PublishResult } from './publish-request.js';
import { republish } from './republish.js';
import { RestoredPublish } from './restored-publish.js';
import type { SessionConfig } from './session-config.js';
import type { SessionOutput, TimerName } from './session-output.js';
import { DEFAULT_SERVER_LIMITS, serverLimits, type ServerLimits } from './server-limits.js';
import type { TopicStream } from './topic-stream.js';
import { withTopicAlias } from './with-topic-alias.js';

/** Where the connection stands, inside the session. */
type Phase = 'idle' | 'opening' | 'connack' | 'connected' | 'waiting' | 'closed';

const QOS0_RESULT: PublishResult = Object.freeze({ reasonCode: 0 });
const PACKET_ID_NOT_FOUND = 0x92;

/** DISCONNECT 0x80 (Unspecified error): the client gives up an authentication exchange. */
const UNSPECIFIED_ERROR = 0x80;

/**
 * The MQTT session as a sans-IO state machine: inputs are method calls (with the
 * current time where it matters), effects go out synchronously through a
 * {@link SessionOutput}. No I/O, no clock, no RxJS: deterministic, and unit-tested
 * without sockets.
 *
 * It owns the connection lifecycle (attempts, CONNACK, keepalive, end) and the order of
 * every effect. The state and rules it sequences live in modules with one job each:
 * - connection: `connack-verdict` (accepted, refused, or a violation), `server-limits`
 *   (what a CONNACK allows), `keepalive` (when to PINGREQ), `reconnect-attempts`
 *   (backoff, redirects), `unexpected-packet` / `disconnect-error` /
 *   `connection-closed-error` (why it ends), `auth-exchange` / `inbound-auth`
 *   (enhanced authentication);
 * - publishing: `packet-ids`, `outbound-flows` (QoS 1/2 in flight, window, acks),
 *   `offline-queue` (unsent, durable), `publish-refusal` / `packet-fits` (what may not
 *   go out), `publish-outcome`, `with-topic-alias` / `outgoing-aliases`;
 * - receiving: `incoming-aliases`, `message-router` (a message to its streams),
 *   `inbound-acks` (PUBACK / PUBREC order, QoS 2 ids, our Receive Maximum, as
 *   `enforced-receive-maximum` says);
 * - subscribing: `subscription-table` (who is subscribed to what), `subscribe-flows`
 *   (awaiting SUBACK / UNSUBACK), `subscribe-refusal` / `suback-refusal`;
 * - what goes out: `connect-packet`, `disconnect-packet`, `publish-packet`,
 *   `subscribe-packet`, `auth-packet`, `ack-packet`.
 *
 * @example
 * ```ts
 * const session = new Session(config, output);
 * session.start(scheduler.now());             // output.open()
 * session.opened(scheduler.now());            // output.send(CONNECT)
 * session.received(connack, scheduler.now()); // output.state({ status: 'connected', … })
 * ```
 */
export class Session<P extends PublishRequest = PublishRequest, S extends TopicStream = TopicStream> {
  private phase: Phase = 'idle';
  private now = 0;
  private clientId: string;
  /** A CONNACK accepted a connection once: MQTT 5 reconnects ask to resume. */
  private everConnected = false;
  private sentClean = false;
  /** Failed attempts since the last successful connection, backoff and redirects. */
  private readonly attempts: ReconnectAttempts;
  private ending = false;
  /** What `end()` asked of the DISCONNECT. */
  private endRequest: DisconnectRequest = {};
  /** MQTT 5: the Session Expiry Interval in force: CONNECT's, or CONNACK's when it replaced it. */
  private sessionExpiry: number;
  private readonly auth = new AuthExchange();
  private closedError: Error | undefined;

  /** What the latest CONNACK said (kept while offline: its capabilities decide subscription ids). */
  private limits: ServerLimits = DEFAULT_SERVER_LIMITS;
  /** When we last sent, and whether a PINGREQ awaits its PINGRESP. */
  private readonly keepalive = new Keepalive();
  /** Inbound topic aliases (the server's), per connection. */
  private readonly aliases: IncomingAliases;
  /** Our automatic outbound aliases; `undefined` when off or the server allows none. */
  private outAliases: OutgoingAliases | undefined;

  /** Outbound QoS 1/2 flows by packet id, in the order first sent, and their window. */
  private readonly inflight: OutboundFlows<P>;
  /** Outbound SUBSCRIBE / UNSUBSCRIBE awaiting their ack, by packet id. */
  private readonly subFlows = new SubscribeFlows<S>();
  /** Packet ids, shared by both kinds of flow. */
  private readonly ids: PacketIds;
  /** Publishes not yet sent, in order, durable; restored ones first. */
  private readonly queue: OfflineQueue<P>;
  /** Inbound QoS 1/2: ids awaiting PUBREL, acks held for manual acks, our Receive Maximum. */
  private readonly acks: InboundAcks<S>;

  /** The subscriptions by filter and by identifier, and the streams by topic. */
  private subs = new SubscriptionTable<S>();
  /** Filters dropped while offline that a resumed session may still hold. */
  private readonly stale = new Set<string>();
  /** Delivers an incoming message to its streams. */
  private readonly router: MessageRouter<S>;

  /**
   * @param config the resolved options.
   * @param output where the effects go.
   */
  constructor(
    private readonly config: SessionConfig,
    private readonly output: SessionOutput<P, S>,
  ) {
    this.clientId = config.clientId;
    this.router = new MessageRouter<S>(output);
    this.sessionExpiry = config.sessionExpiryInterval ?? config.properties?.sessionExpiryInterval ?? 0;
    this.attempts = new ReconnectAttempts(config.followRedirects === true, config.random, config.canFollow);
    this.aliases = new IncomingAliases(config.properties?.topicAliasMaximum ?? 0);
    // Store failures are reported, never thrown into input handling (a failed load throws here).
    this.config = { ...config, store: guardStore(config.store, (error) => output.storeError(error)) };
    const stored = this.config.store.load();
    this.inflight = new OutboundFlows<P>(this.config.store, stored.outgoing);
    this.ids = new PacketIds(this.inflight, this.subFlows);
    const limit = enforcedReceiveMaximum(config);
    this.acks = new InboundAcks<S>(limit, this.config.store, stored.incoming, (qos, id, reason) => this.sendAck(qos, id, reason));
    // Queued by an earlier process: sent after the in-flight resends, in their order.
    this.queue = new OfflineQueue<P>(this.config.store, config.protocolVersion, stored.queued, config.queueLimit);
  }

  private get version(): ProtocolVersion {
    return this.config.protocolVersion;
  }

  // ---------------------------------------------------------------- inputs: lifecycle

  /**
   * Starts the first connection attempt.
   *
   * @param now the current time, ms.
   */
  start(now: number): void {
    this.now = now;
    if (this.phase === 'idle') this.attempt();
  }

  /**
   * The transport of the current attempt is open: CONNECT goes out.
   *
   * @param now the current time, ms.
   * @param credentials the user name and password of this attempt, replacing the
   *   configured ones (they may change between attempts: tokens, several servers).
   */
  opened(now: number, credentials?: Credentials): void {
    this.now = now;
    if (this.phase !== 'opening') return;
    this.phase = 'connack';
    // MQTT 5: Clean Start applies to the first connection; reconnects resume.
    const clean = this.version === 5 && this.everConnected ? false : this.config.clean;
    this.sentClean = clean;
    const packet = connectPacket(this.config, this.clientId, clean, credentials);
    if (this.version === 5) this.sessionExpiry = packet.properties?.sessionExpiryInterval ?? 0;
    this.write(packet);
  }

  /**
   * The connection closed (peer closed it: no `error`) or failed, or it could not open.
   * A network error is reported as a `MqttConnectionError` with the error as `cause`.
   *
   * @param error what happened, if known.
   * @param now the current time, ms.
   */
  closed(error: Error | undefined, now: number): void {
    this.now = now;
    if (this.phase !== 'opening' && this.phase !== 'connack' && this.phase !== 'connected') return;
    this.lose(connectionClosedError(error, this.phase === 'opening'));
  }

  /**
   * The bytes of the connection broke the protocol (malformed, too large): in MQTT 5
   * DISCONNECT with the reason code, then close and reconnect per policy.
   *
   * @param error the codec's error, with its reason code.
   * @param now the current time, ms.
   */
  protocolError(error: MqttProtocolError, now: number): void {
    this.now = now;
    if (this.phase !== 'connack' && this.phase !== 'connected') return;
    this.violation(error);
  }

  /**
   * A timer armed by the session fired.
   *
   * @param name which timer.
   * @param now the current time, ms.
   */
  timer(name: TimerName, now: number): void {
    this.now = now;
    switch (name) {
      case 'connect':
        if (this.phase === 'opening' || this.phase === 'connack') {
          this.lose(new MqttTimeoutError(`no CONNACK within ${this.config.connectTimeout} ms`));
        }
        return;
      case 'reconnect':
        if (this.phase === 'waiting') this.attempt();
        return;
      case 'keepalive':
        if (this.phase === 'connected') this.keepaliveFired();
        return;
      case 'end':
        if (this.ending && this.phase !== 'closed') this.finish();
        return;
    }
  }

  /**
   * What of an `end()` request its DISCONNECT may carry, with the Session Expiry
   * Interval in force (CONNECT's, or the CONNACK's that replaced it): MQTT 5 3.14.2.2.2
   * forbids a non-zero value when it is 0. Checked when `end()` is called, before the
   * request is queued.
   *
   * @param request what `end()` was given.
   * @returns the request to keep, and the problem to report.
   */
  checkEnd(request: DisconnectRequest): CheckedDisconnect {
    return checkDisconnectRequest(this.version, request, this.sessionExpiry);
  }

  /**
   * Ends the client: unsent publishes fail with `MqttClosedError`; without `force`,
   * in-flight QoS 1/2 flows get up to `connectTimeout` ms to finish; then DISCONNECT
   * (with `reasonCode` in MQTT 5), close, complete every stream. Idempotent; `force`
   * cuts a running grace short.
   *
   * @param now the current time, ms.
   * @param force do not wait for in-flight flows.
   * @param request MQTT 5: the DISCONNECT's reason code (default 0), reason string, user
   *   properties and new Session Expiry Interval (dropped when the one in force is 0
   *   and this one is not: a Protocol Error, MQTT 5 3.14.2.2.2).
   */
  end(now: number, force = false, request: DisconnectRequest = {}): void {
    this.now = now;
    if (this.phase === 'closed' || (this.ending && !force)) return;
    this.ending = true;
    // A later end() (force after a graceful one) adds to what the first asked.
    this.endRequest = mergeDisconnectRequests(this.endRequest, request);
    this.rejectQueued(new MqttClosedError('the client was ended before the message was sent'));
    if (!force && this.phase === 'connected' && this.inflight.size > 0) {
      this.output.arm('end', this.config.connectTimeout);
      return;
    }
    this.finish();
  }

  // ---------------------------------------------------------------- inputs: requests

  /**
   * The application asks to publish: sent now when connected and the window allows,
   * else queued in order (bounded by `queueLimit`).
   *
   * @param request the message; settled or rejected later through the output.
   * @param now the current time, ms.
   */
  publish(request: P, now: number): void {
    this.now = now;
    if (this.phase === 'closed' || this.ending) {
      this.output.reject(request, new MqttClosedError('the client is closed', this.closedError));
      return;
    }
    if (this.phase === 'connected' && this.queue.size === 0 && (request.qos === 0 || !this.inflight.full)) {
      this.transmit(request);
      return;
    }
    const error = this.queue.push(request); // full, or the store failed
    if (error !== undefined) this.output.reject(request, error);
  }

  /**
   * @param request a request given to {@link publish}.
   * @returns whether it waits in the queue, unsent (only then can {@link cancel} change anything).
   */
  queued(request: P): boolean {
    return this.queue.has(request);
  }

  /**
   * The application no longer wants `request`: removed if still queued (never sent);
   * a message already sent completes its QoS flow regardless.
   *
   * @param request the request given to {@link publish}.
   */
  cancel(request: P): void {
    this.queue.cancel(request);
  }

  /**
   * A `topic()` stream starts: the first stream of a filter sends SUBSCRIBE, a stream
   * asking for a higher QoS than the filter has sends it again at that QoS.
   *
   * @param stream the stream.
   * @param now the current time, ms.
   */
  subscribe(stream: S, now: number): void {
    this.now = now;
    if (this.phase === 'closed' || this.ending) {
      if (this.closedError !== undefined) this.output.streamError(stream, this.closedError);
      else this.output.streamComplete(stream);
      return;
    }
    if (this.phase === 'connected' && this.version === 5) {
      // Known from this connection's CONNACK: fail here rather than be disconnected.
      const refusal = subscribeRefusal(stream.filter, stream.options, this.limits.capabilities);
      if (refusal !== undefined) {
        this.output.streamError(stream, refusal);
        return;
      }
    }
    const identifiers = this.version !== 5 ? 'none' : this.limits.capabilities.subscriptionIdentifiersAvailable ? 'any' : 'given';
    const added = this.subs.add(stream, identifiers);
    // 'subscribed': the server holds the subscription already (in this session).
    if (added === 'subscribed') this.output.subscribed(stream);
    else if (added !== 'wait' && this.phase === 'connected') this.sendSubscribe(added, [stream]);
  }

  /**
   * A `topic()` stream ends: when it was the last of its filter, UNSUBSCRIBE.
   *
   * @param stream the stream given to {@link subscribe}.
   * @param now the current time, ms.
   */
  unsubscribe(stream: S, now: number): void {
    this.now = now;
    const sub = this.subs.get(stream.filter);
    if (sub === undefined || !this.subs.leave(sub, stream)) return;
    this.acks.release(stream);
    if (sub.streams.size > 0) return;
    this.subs.remove(sub);
    if (this.ending) return;
    // MQTT 5: the leaving stream's User Properties go with an UNSUBSCRIBE sent now.
    if (this.phase === 'connected') this.sendUnsubscribe(sub.filter, this.version === 5 ? stream.options.unsubscribeUserProperties : undefined);
    else if (sub.granted >= 0) this.stale.add(sub.filter);
  }

  /**
   * A manual-ack stream acknowledges a message it was delivered with `receipt`. When
   * every manual stream it reached has acked, its PUBACK / PUBREC goes out, after
   * those of the messages that arrived before it (MQTT-4.6.0-2, MQTT-4.6.0-3).
   * Idempotent; a receipt of an earlier connection is ignored (the server sends the
   * message again).
   *
   * @param stream the stream given to {@link subscribe}.
   * @param receipt the receipt given to `deliver`.
   * @param now the current time, ms.
   * @param reason MQTT 5: the reason code and properties the ack should carry (a
   *   refusal from any of the streams wins).
   */
  acknowledge(stream: S, receipt: number, now: number, reason?: AckReason): void {
    this.now = now;
    this.acks.acknowledge(stream, receipt, reason);
  }

  // ---------------------------------------------------------------- inputs: authentication

  /**
   * The answer to the challenge `token` of an `authChallenge` effect: AUTH 0x18 with
   * the Authentication Method of the CONNECT and `data` (MQTT-4.12.0-3, MQTT-4.12.0-5).
   * An answer to a challenge of an earlier connection, or a second answer, is ignored.
   *
   * @param token the token given to `authChallenge`.
   * @param answer the Authentication Data, Reason String and User Properties to send.
   * @param now the current time, ms.
   */
  authAnswer(token: number, answer: AuthAnswer, now: number): void {
    this.now = now;
    const method = this.config.authentication?.method;
    // `method` is defined whenever a challenge awaits (onAuth checked it).
    if (method === undefined || !this.answers(token)) return;
    const packet = authPacket(CONTINUE_AUTHENTICATION, method, answer);
    // Reason String and User Properties are dropped to fit (write); the data cannot be.
    if (!this.fits(authPacket(CONTINUE_AUTHENTICATION, method, { data: answer.data }))) {
      // MQTT-3.2.2-15: the answer cannot be sent; the exchange fails as if `respond` had.
      this.write({ cmd: 'disconnect', reasonCode: UNSPECIFIED_ERROR });
      this.lose(new MqttAuthenticationError(`the AUTH answer is larger than the server's Maximum Packet Size (${this.limits.maximumPacketSize} bytes) (MQTT-3.2.2-15)`));
      return;
    }
    this.write(packet);
  }

  /**
   * The challenge `token` cannot be answered (the `respond` function failed or gave
   * nothing): DISCONNECT 0x80 (MQTT-4.12.1-2 for a re-authentication; the client may
   * send DISCONNECT before CONNACK, MQTT-3.1.2-30), close, and reconnect per policy
   * with a `MqttAuthenticationError`.
   *
   * @param token the token given to `authChallenge`.
   * @param error why, as a `MqttAuthenticationError`.
   * @param now the current time, ms.
   */
  authFailed(token: number, error: MqttAuthenticationError, now: number): void {
    this.now = now;
    if (!this.answers(token)) return;
    this.write({ cmd: 'disconnect', reasonCode: UNSPECIFIED_ERROR });
    this.lose(error);
  }

  /**
   * MQTT 5 re-authentication (MQTT-4.12.1-1): AUTH 0x19 with the Authentication Method
   * of the CONNECT and `data`. Ends with a `reauthenticated` effect: without an error
   * when the server's AUTH 0x00 arrives, with one when the connection ends first (a
   * DISCONNECT, a failed `respond`, `end()`). A call while one runs joins it.
   *
   * @param answer the Authentication Data, Reason String and User Properties of the AUTH 0x19.
   * @param now the current time, ms.
   */
  reauthenticate(answer: AuthAnswer, now: number): void {
    this.now = now;
    const method = this.config.authentication?.method;
    if (method === undefined || this.version !== 5) {
      // MQTT-4.12.0-7: no AUTH without an Authentication Method in the CONNECT.
      this.output.reauthenticated(new TypeError('reauthenticate() needs the authenticate option (MQTT 5)'));
      return;
    }
    if (this.phase === 'closed' || this.ending) {
      this.output.reauthenticated(new MqttClosedError('the client is closed', this.closedError));
      return;
    }
    if (this.phase !== 'connected') {
      this.output.reauthenticated(new MqttConnectionError('not connected: re-authentication needs an accepted connection'));
      return;
    }
    if (this.auth.reauthenticating) return;
    const packet = authPacket(REAUTHENTICATE, method, answer);
    if (!this.fits(authPacket(REAUTHENTICATE, method, { data: answer.data }))) {
      // MQTT-3.2.2-15: refused before anything is sent; the connection goes on as it was.
      this.output.reauthenticated(
        new RangeError(`the AUTH of reauthenticate() is larger than the server's Maximum Packet Size (${this.limits.maximumPacketSize} bytes) (MQTT-3.2.2-15)`),
      );
      return;
    }
    this.auth.reauthenticationStarted();
    this.write(packet);
  }

  /** Whether `token` is the challenge awaiting an answer on this connection; if so, it is answered now. */
  private answers(token: number): boolean {
    return (this.phase === 'connack' || this.phase === 'connected') && this.auth.answer(token);
  }

  // ---------------------------------------------------------------- inputs: packets

  /**
   * A packet arrived from the server.
   *
   * @param packet the decoded packet.
   * @param now the current time, ms.
   */
  received(packet: Packet, now: number): void {
    this.now = now;
    if (this.phase === 'connack') {
      if (packet.cmd === 'connack') return this.onConnack(packet);
      if (packet.cmd === 'auth' && this.version === 5) return this.onAuth(packet);
      return this.violation(unexpectedPacket(packet.cmd, this.version, true));
    }
    if (this.phase !== 'connected') return;
    switch (packet.cmd) {
      case 'publish':
        return this.onPublish(packet);
      case 'puback':
        return this.onPuback(packet);
      case 'pubrec':
        return this.onPubrec(packet);
      case 'pubrel':
        return this.onPubrel(packet);
      case 'pubcomp':
        return this.onPubcomp(packet);
      case 'suback':
        return this.onSuback(packet);
      case 'unsuback':
        return this.subFlows.unsuback(packet.messageId);
      case 'pingresp':
        return this.onPingresp();
      case 'disconnect':
        if (this.version === 5) return this.lose(disconnectError(packet));
        break;
      case 'auth':
        if (this.version === 5) return this.onAuth(packet);
        break;
    }
    // A second CONNACK, DISCONNECT or AUTH in 3.x, what travels client → server only.
    this.violation(unexpectedPacket(packet.cmd, this.version, false));
  }

  /** MQTT 5 enhanced authentication (4.12): a challenge, or the end of a re-authentication. */
  private onAuth(packet: AuthPacket): void {
    const step = inboundAuth(packet, this.config.authentication?.method, this.phase === 'connack', this.auth.reauthenticating);
    if (step instanceof MqttProtocolError) return this.violation(step);
    // A challenge: the answer comes back as `authAnswer`.
    if (step !== 'reauthenticated') return this.output.authChallenge(step, this.auth.challenged());
    this.auth.reauthenticated();
    this.output.reauthenticated(undefined);
  }

  private onConnack(packet: ConnackPacket): void {
    this.output.disarm('connect');
    this.auth.connected();
    const verdict = connackVerdict(packet, this.config, this.sentClean);
    if (verdict instanceof MqttProtocolError) return this.violation(verdict);
    if (verdict !== undefined) {
      this.teardown();
      if (verdict.fatal) this.shutdown(verdict.error);
      else this.retry(verdict.error);
      return;
    }
    this.phase = 'connected';
    this.attempts.connected();
    this.everConnected = true;
    this.applyServerLimits(packet);
    const sessionPresent = packet.sessionPresent;
    // 3.2.2.3.2: a Session Expiry Interval in CONNACK replaces the CONNECT's.
    const expiry = packet.properties?.sessionExpiryInterval;
    if (expiry !== undefined) this.sessionExpiry = expiry;
    this.output.state({ status: 'connected', sessionPresent, connack: packet, clientId: this.clientId });

    if (!sessionPresent) {
      // MQTT-3.2.2-5 (5): no session on the server: ours starts over.
      this.acks.sessionLost();
      for (const sub of this.subs.values()) sub.granted = -1;
      this.stale.clear();
    }
    // One that does not fit this server's limit goes back to `stale` (sendUnsubscribe).
    // A filter subscribed again stays stale until its SUBSCRIBE goes (sendSubscribe).
    const stale = Array.from(this.stale);
    this.stale.clear();
    for (const filter of stale) {
      if (this.subs.has(filter)) this.stale.add(filter);
      else this.sendUnsubscribe(filter);
    }
    if (this.version === 5) this.refuseUnavailable();
    for (const sub of this.subs.values()) {
      if (sub.qos > sub.granted) this.sendSubscribe(sub, Array.from(sub.streams));
    }
    this.resend(sessionPresent);
    this.pump();
    const delay = this.keepalive.connected(this.limits.keepaliveMs, this.now);
    if (delay !== undefined) this.output.arm('keepalive', delay);
  }

  /** The limits of the new connection, its outbound alias table, and the client id the server assigned. */
  private applyServerLimits(packet: ConnackPacket): void {
    const limits = serverLimits(packet, this.config);
    this.limits = limits;
    this.inflight.window = limits.window;
    // MQTT-3.3.2-7: aliases are per connection; each CONNACK starts a fresh table.
    if (limits.topicAliasMaximum > 0 && this.config.topicAliases !== false) {
      this.outAliases = new OutgoingAliases(limits.topicAliasMaximum);
    }
    if (limits.assignedClientIdentifier !== undefined) this.clientId = limits.assignedClientIdentifier;
  }

  /** MQTT-4.4.0-1: resend in-flight flows on resume; without a session, as new messages. */
  private resend(sessionPresent: boolean): void {
    for (const [id, flow] of this.inflight.entries()) {
      if (!sessionPresent) {
        // The server lost the message (or its QoS 2 state): it goes again as new.
        const error = this.inflight.restart(flow);
        if (error !== undefined) this.output.storeError(error);
        this.write(flow.packet);
      } else if (flow.released) {
        this.write(ackPacket<PubrelPacket>(this.version, 'pubrel', id, 0));
      } else {
        this.write(this.inflight.duplicate(flow));
      }
    }
  }

  private onPublish(packet: PublishPacket): void {
    const topic = this.aliases.topicOf(packet);
    if (typeof topic !== 'string') return this.violation(topic);
    const qos = packet.qos;
    // A QoS 2 repeat is acknowledged again, not delivered; one over our Receive Maximum is a violation.
    const admitted = qos === 0 ? 'deliver' : this.acks.admit(qos, packet.messageId as number);
    if (admitted !== 'deliver') {
      if (admitted === 'pubrec') this.sendAck(2, packet.messageId as number);
      else if (admitted !== 'held') this.violation(admitted);
      return;
    }
    const message: MqttMessage =
      packet.properties === undefined
        ? { topic, payload: packet.payload, qos, retain: packet.retain, dup: packet.dup }
        : { topic, payload: packet.payload, qos, retain: packet.retain, dup: packet.dup, properties: packet.properties };
    this.output.message(message);
    const ids = packet.properties?.subscriptionIdentifier;
    if (qos === 0) {
      this.router.route(this.subs, message, ids, 0);
      return;
    }
    const receipt = this.acks.receipt();
    const waiting = this.router.route(this.subs, message, ids, receipt);
    const id = packet.messageId as number;
    // MQTT-4.6.0-2 / MQTT-4.6.0-3: PUBACK / PUBREC in the order the PUBLISHes arrived.
    if (!this.acks.hold(receipt, qos, id, waiting)) this.sendAck(qos, id);
  }

  /**
   * PUBACK (QoS 1) or PUBREC (QoS 2; the id goes to the store with the first one), in
   * MQTT 5 with what manual acks asked it to carry. A refusing PUBREC ends the flow.
   */
  private sendAck(qos: 1 | 2, id: number, reason?: AckReason): void {
    const answer = this.version === 5 ? reason : undefined;
    if (qos === 1) {
      this.write(ackPacket<PubackPacket>(this.version, 'puback', id, answer?.reasonCode ?? 0, ackReasonProperties(answer)));
      return;
    }
    if (refuses(answer)) this.acks.refused(id);
    else this.acks.pubrec(id);
    this.write(ackPacket<PubrecPacket>(this.version, 'pubrec', id, answer?.reasonCode ?? 0, ackReasonProperties(answer)));
  }

  private onPuback(packet: PubackPacket): void {
    const id = packet.messageId;
    const flow = this.inflight.puback(id);
    if (flow === undefined) return;
    if (flow instanceof MqttProtocolError) return this.violation(flow);
    this.conclude(flow, id, packet.reasonCode ?? 0, packet.properties, false);
  }

  private onPubrec(packet: PubrecPacket): void {
    const id = packet.messageId;
    const code = packet.reasonCode ?? 0;
    const flow = this.inflight.pubrec(id, code);
    if (flow === undefined) {
      // MQTT 5 4.3.3: PUBREL with Packet Identifier not found; lets the server drop its state.
      this.write(ackPacket<PubrelPacket>(this.version, 'pubrel', id, PACKET_ID_NOT_FOUND));
      return;
    }
    if (flow instanceof MqttProtocolError) return this.violation(flow);
    // MQTT-4.3.3-4 (5): a refusing PUBREC ended the flow.
    if (code >= 0x80) return this.conclude(flow, id, code, packet.properties, false);
    // MQTT-4.3.3-3: answer PUBREC with PUBREL (again, for a repeated PUBREC).
    this.write(ackPacket<PubrelPacket>(this.version, 'pubrel', id, 0));
  }

  private onPubcomp(packet: PubcompPacket): void {
    const id = packet.messageId;
    const flow = this.inflight.pubcomp(id);
    if (flow === undefined) return;
    if (flow instanceof MqttProtocolError) return this.violation(flow);
    this.conclude(flow, id, packet.reasonCode ?? 0, packet.properties, true);
  }

  private onPubrel(packet: PubrelPacket): void {
    const id = packet.messageId;
    const known = this.acks.pubrel(id);
    // MQTT-4.3.3-11 (5) / MQTT-4.3.3-2 (3.1.1): PUBREL is answered by PUBCOMP, known or not.
    this.write(ackPacket<PubcompPacket>(this.version, 'pubcomp', id, known ? 0 : PACKET_ID_NOT_FOUND));
  }

  private onSuback(packet: SubackPacket): void {
    const flow = this.subFlows.suback(packet.messageId);
    if (flow === undefined) return;
    const { sub } = flow;
    const error = subackRefusal(packet, sub.filter);
    if (error === undefined) {
      if (flow.qos > sub.granted) sub.granted = flow.qos;
      for (const stream of flow.streams) if (sub.streams.has(stream)) this.output.subscribed(stream);
      return;
    }
    const granted: QoS = sub.granted < 0 ? 0 : (sub.granted as QoS);
    for (const stream of flow.streams) this.failStream(sub, stream, error);
    // The refused request's options leave with its streams: the remaining ones' go in
    // the next SUBSCRIBE; the QoS stays what the server granted.
    this.subs.downgrade(sub);
    sub.qos = granted;
    if (sub.streams.size === 0 && this.subs.get(sub.filter) === sub) {
      this.subs.remove(sub);
      if (sub.granted >= 0 && this.phase === 'connected') this.sendUnsubscribe(sub.filter);
    }
  }

  private onPingresp(): void {
    const delay = this.keepalive.pingresp(this.now);
    if (delay !== undefined) this.output.arm('keepalive', delay);
  }

  // ---------------------------------------------------------------- decisions

  /** MQTT-3.1.2-23 (3.1.1) / MQTT-3.1.2-20 (5): PINGREQ after keepalive seconds without sending. */
  private keepaliveFired(): void {
    const step = this.keepalive.fired(this.now);
    if (step === 'lost') return this.lose(new MqttTimeoutError(`no PINGRESP within ${this.keepalive.period} ms`));
    if (step !== 'ping') return this.output.arm('keepalive', step);
    this.write({ cmd: 'pingreq' });
    // One more keepalive period for the PINGRESP.
    this.output.arm('keepalive', this.keepalive.period);
  }

  private attempt(): void {
    this.phase = 'opening';
    const attempt = this.attempts.failures + 1;
    const redirect = this.attempts.take();
    this.output.state(redirect === undefined ? { status: 'connecting', attempt } : { status: 'connecting', attempt, redirect });
    this.output.arm('connect', this.config.connectTimeout);
    this.output.open();
  }

  /**
   * Sends a publish now (the caller checked the window), or rejects it against the
   * server's limits. `seq`: its queue number in the store, when it leaves the queue.
   */
  private transmit(request: P | RestoredPublish, seq?: number): void {
    const refusal = publishRefusal(request, this.limits, this.version);
    if (refusal !== undefined) {
      this.refuse(request, seq, refusal);
      return;
    }
    const qos = request.qos;
    // What is kept for a resend carries no alias: the next connection has none (MQTT-3.3.2-7).
    const packet = publishPacket(request, this.version, qos === 0 ? undefined : this.ids.allocate());
    const userAlias = this.version === 5 ? request.properties?.topicAlias : undefined;
    // The packet as it goes out now: with the application's alias, or one of ours.
    let sent = packet;
    if (userAlias !== undefined) sent = republish(packet, packet.topic, request.properties as PublishProperties);
    const limit = this.limits.maximumPacketSize;
    const size = this.config.packetSize;
    // `sent` is `packet` or `packet` plus an alias: never the smaller of the two.
    if (limit > 0 && !publishFits(sent, limit, size)) {
      // MQTT-3.2.2-15: never a packet over the server's Maximum Packet Size.
      if (packet.messageId !== undefined) this.ids.reuse(packet.messageId); // still free
      this.refuse(
        request,
        seq,
        new RangeError(`the message to "${request.topic}" is larger than the server's Maximum Packet Size (${limit} bytes)`),
      );
      return;
    }
    if (qos !== 0) {
      // In flight and stored before an alias is bound: an alias of a message never sent
      // would be unknown to the server.
      const error = this.inflight.start(request instanceof RestoredPublish ? undefined : request, packet, seq);
      if (error !== undefined) return this.storeFailed(request, packet, seq, error);
    }
    if (userAlias !== undefined) this.outAliases?.bind(userAlias, packet.topic);
    else if (this.outAliases !== undefined) sent = withTopicAlias(packet, this.outAliases, limit, size);
    this.write(sent);
    if (qos === 0 && !(request instanceof RestoredPublish)) this.output.settle(request, QOS0_RESULT);
  }

  /**
   * The store failed to take a PUBLISH about to be sent: it is not sent, its id is free
   * again; its request fails with the error, or, restored, it stays queued in the store
   * for a later process and the error is reported.
   */
  private storeFailed(request: P | RestoredPublish, packet: PublishPacket, seq: number | undefined, error: MqttStoreError): void {
    this.ids.reuse(packet.messageId as number);
    if (request instanceof RestoredPublish) this.output.storeError(error);
    else this.refuse(request, seq, error);
  }

  /** A publish is refused before it is sent: it leaves the stored queue, and its request fails. */
  private refuse(request: P | RestoredPublish, seq: number | undefined, error: Error): void {
    if (seq !== undefined) this.config.store.deleteQueued(seq);
    if (!(request instanceof RestoredPublish)) this.output.reject(request, error);
  }

  /** Sends queued publishes while connected and the window allows, in order. */
  private pump(): void {
    if (this.queue.size === 0 || this.phase !== 'connected') return;
    for (let entry = this.queue.peek(); entry !== undefined; entry = this.queue.peek()) {
      if (entry.qos > 0 && this.inflight.full) return;
      this.transmit(entry, this.queue.take());
    }
  }

  /** A flow ended (acknowledged or refused): settle it, refill the window, maybe finish `end()`. */
  private conclude(flow: OutboundFlow<P>, id: number, code: number, properties: AckProperties | undefined, pubcomp: boolean): void {
    if (flow.request !== undefined) {
      const outcome = publishOutcome(flow.packet.topic, id, code, properties, pubcomp);
      if (outcome instanceof MqttPublishError) this.output.reject(flow.request, outcome);
      else this.output.settle(flow.request, outcome);
    }
    if (this.ending) {
      if (this.inflight.size === 0 && this.phase === 'connected') this.finish();
      return;
    }
    this.pump();
  }

  private sendSubscribe(sub: Sub<S>, streams: S[]): void {
    // Our own identifiers only where the server has them (MQTT 5 3.2.2.3.12); a refused
    // user identifier failed the stream before this (refuseUnavailable).
    const id = sub.id !== 0 && this.limits.capabilities.subscriptionIdentifiersAvailable ? sub.id : 0;
    // Identifier taken once it fits (any takes 2 bytes): a refused SUBSCRIBE uses none.
    const packet = subscribePacket(sub.filter, sub.qos, sub.options, id, this.version);
    if (!this.fits(packet)) {
      this.refuseOversized(sub, streams);
      return;
    }
    // It replaces what the server may still hold of the filter: no UNSUBSCRIBE is owed.
    this.stale.delete(sub.filter);
    packet.messageId = this.ids.allocate();
    this.subFlows.subscribe(packet.messageId, sub, streams);
    this.write(packet);
  }

  /**
   * MQTT-3.2.2-15: a SUBSCRIBE over the server's Maximum Packet Size is not sent; the
   * streams it was for fail with a RangeError and leave every table (tree, subs, ids).
   * Checked before an identifier or a flow is taken, so nothing is half-registered.
   */
  private refuseOversized(sub: Sub<S>, streams: S[]): void {
    const error = new RangeError(
      `the subscription to "${sub.filter}" is larger than the server's Maximum Packet Size (${this.limits.maximumPacketSize} bytes) (MQTT-3.2.2-15)`,
    );
    for (const stream of streams) this.failStream(sub, stream, error);
    if (sub.streams.size === 0) {
      this.subs.remove(sub);
      // A resumed session may still hold it (the limit may be smaller than last time).
      if (sub.granted >= 0) this.sendUnsubscribe(sub.filter);
      return;
    }
    // A stronger QoS (or other options) was refused: back to what the streams left ask for.
    this.subs.downgrade(sub);
  }

  /**
   * An UNSUBSCRIBE goes when it fits the server's Maximum Packet Size without its User
   * Properties (`write` cuts those when they do not fit). One that does not — the limit of this server is
   * smaller than the SUBSCRIBE of an earlier connection — is not sent (MQTT-3.2.2-15): no
   * stream is left to fail, and the topic tree no longer routes the filter, so what the
   * server still sends for it is acknowledged and dropped. The filter is kept as stale:
   * the next connection that resumes the session tries again under its own limit.
   */
  private sendUnsubscribe(filter: string, userProperties?: UserProperties): void {
    if (!this.fits(unsubscribePacket(filter))) {
      this.stale.add(filter);
      return;
    }
    const packet = unsubscribePacket(filter, userProperties);
    packet.messageId = this.ids.allocate();
    this.subFlows.unsubscribe(packet.messageId, filter);
    this.write(packet);
  }

  /** Whether a packet fits the server's Maximum Packet Size of this connection (MQTT-3.2.2-15). */
  private fits(packet: Packet): boolean {
    const limit = this.limits.maximumPacketSize;
    return limit === 0 || this.phase !== 'connected' || packetFits(packet, limit, this.config.packetSize);
  }

  /** A stream of `sub` fails (what it asked for is refused): it leaves the tree and owes no acks. */
  private failStream(sub: Sub<S>, stream: S, error: Error): void {
    if (!this.subs.leave(sub, stream)) return; // it left already
    this.acks.release(stream);
    this.output.streamError(stream, error);
  }

  /** After CONNACK: streams asking for what the server cannot do fail (also those subscribed offline). */
  private refuseUnavailable(): void {
    const c = this.limits.capabilities;
    if (c.sharedSubscriptionAvailable && c.wildcardSubscriptionAvailable && c.subscriptionIdentifiersAvailable) return;
    for (const sub of this.subs.values()) {
      for (const stream of sub.streams) {
        const refusal = subscribeRefusal(sub.filter, stream.options, c);
        if (refusal !== undefined) this.failStream(sub, stream, refusal);
      }
      if (sub.streams.size > 0) continue;
      this.subs.remove(sub);
      // A resumed session may still hold it.
      if (sub.granted >= 0) this.sendUnsubscribe(sub.filter);
    }
  }

  private write(packet: Packet): void {
    if (this.limits.maximumPacketSize > 0 && packet.cmd !== 'publish' && this.phase === 'connected') {
      // MQTT-3.2.2-15 for what no user call can fail (acks, DISCONNECT, AUTH, PINGREQ): the
      // Reason String and User Properties go first (MQTT-3.4.2-2, MQTT-3.14.2-3, …). What
      // still does not fit is not sent, the only way left to keep the rule; it takes a
      // server limit below a few bytes (our acks carry no properties): an ack not sent
      // leaves the server to send the message again on resume, a DISCONNECT not sent is a
      // plain close. PUBLISH is checked where its request can fail (transmit).
      const fitted = fitPacket(packet, this.limits.maximumPacketSize, this.config.packetSize);
      if (fitted === undefined) return;
      packet = fitted;
    }
    this.keepalive.sent(this.now);
    this.output.send(packet);
  }

  // ---------------------------------------------------------------- endings

  /** The peer broke the protocol: DISCONNECT with the reason code (MQTT 5), close, retry. */
  private violation(error: MqttProtocolError): void {
    if (this.version === 5 && this.phase === 'connected') this.write({ cmd: 'disconnect', reasonCode: error.reasonCode });
    this.lose(error);
  }

  /** The connection is gone (or refused): reconnect per policy; nothing queued or in flight is lost. */
  private lose(error: Error): void {
    this.teardown();
    this.endReauthentication(error);
    this.retry(error);
  }

  /** A re-authentication still running fails with the error that ended its connection. */
  private endReauthentication(error: Error): void {
    if (this.auth.ended()) this.output.reauthenticated(error);
  }

  private retry(error: Error): void {
    if (this.ending) return this.shutdown(undefined);
    const policy = this.config.reconnect;
    if (policy === false) return this.shutdown(error);
    const delay = this.attempts.failed(error, policy);
    this.phase = 'waiting';
    this.output.state({ status: 'reconnecting', attempt: this.attempts.failures, delay, error });
    this.output.arm('reconnect', delay);
  }

  /** Closes the current connection and forgets what lives only as long as it. */
  private teardown(): void {
    if (this.phase === 'opening' || this.phase === 'connack' || this.phase === 'connected') this.output.close();
    this.phase = 'waiting';
    this.output.disarm('connect');
    this.output.disarm('keepalive');
    this.keepalive.stopped();
    this.aliases.clear();
    this.outAliases = undefined;
    // The server sends unacknowledged messages again on resume; their receipts are void.
    this.acks.connectionLost();
    for (const filter of this.subFlows.connectionLost()) {
      if (!this.subs.has(filter)) this.stale.add(filter);
    }
  }

  /** `end()` completes: DISCONNECT when connected, then close for good. */
  private finish(): void {
    if (this.phase === 'connected') this.write(disconnectPacket(this.version, this.endRequest, this.sessionExpiry));
    this.teardown();
    this.shutdown(undefined);
  }

  /** Closed for good: by `end()` (no error) or on a fatal error. */
  private shutdown(error: Error | undefined): void {
    if (this.phase === 'closed') return;
    this.teardown();
    this.phase = 'closed';
    this.closedError = error;
    this.output.disarm('reconnect');
    this.output.disarm('end');
    const closed = new MqttClosedError(
      error === undefined ? 'the client was ended before the flow finished' : `the client closed: ${error.message}`,
      error,
    );
    this.endReauthentication(closed);
    this.rejectQueued(closed);
    this.inflight.drain((request) => this.output.reject(request, closed));
    for (const sub of this.subs.values()) {
      for (const stream of sub.streams) {
        if (error === undefined) this.output.streamComplete(stream);
        else this.output.streamError(stream, error);
      }
    }
    this.subs = new SubscriptionTable<S>();
    this.output.state(error === undefined ? { status: 'closed' } : { status: 'closed', error });
  }

  /** Fails every publish still queued (restored ones stay in the store for the next process). */
  private rejectQueued(error: Error): void {
    this.queue.drain((request) => this.output.reject(request, error));
  }
}

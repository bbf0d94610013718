import type { SchedulerLike } from 'rxjs';
import type {
  ConnackPacket,
  ConnectPacket,
  PublishPacket,
  SubscribePacket,
  UnsubscribePacket,
} from '../packets/packet.js';

/** The packets a {@link ScriptedBroker} sends by itself, each switchable and delayable. */
export type ReplyCmd = 'connack' | 'suback' | 'unsuback' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'pingresp';

/**
 * How the broker answers CONNECT:
 * - `true`: accept (return/reason code 0; `sessionPresent` when a session was kept,
 *   see {@link ScriptedBroker}; in MQTT 5 an `assignedClientIdentifier` for an empty
 *   client id);
 * - `false`: never answer (to test connect timeouts);
 * - a `ConnackPacket`: send it as is, to every CONNECT (use `returnCode` for MQTT
 *   3.1/3.1.1 and `reasonCode` for 5);
 * - a function of the CONNECT and the attempt (1 for the first CONNECT the broker
 *   receives, 2 for the next, …; refused transport attempts do not count), returning
 *   the CONNACK, or `undefined` for none.
 *
 * A refusing CONNACK (return code ≠ 0, reason code ≥ 0x80) is followed by closing the
 * connection, as the server must (MQTT-3.2.2-5, MQTT-3.2.2-7).
 */
export type ConnackScript =
  | boolean
  | ConnackPacket
  | ((connect: ConnectPacket, attempt: number) => ConnackPacket | undefined);

/**
 * How the broker answers a packet with reason codes: `true` (the default answer),
 * `false` (never answer), or a function returning the code(s) to answer with.
 */
export type ReplyScript<P, Codes> = boolean | ((packet: P) => Codes);

/** The automatic replies of a {@link ScriptedBroker}; each can be changed at run time with `configure`. */
export interface BrokerReplies {
  /** CONNACK to CONNECT. Default `true`. */
  connack: ConnackScript;
  /**
   * SUBACK to SUBSCRIBE; a function returns one granted QoS / reason code per filter
   * (codes ≥ 0x80 refuse the filter: it is not subscribed). Default `true`: grant
   * the requested QoS.
   */
  suback: ReplyScript<SubscribePacket, number[]>;
  /**
   * UNSUBACK to UNSUBSCRIBE; a function returns one reason code per filter (MQTT 5
   * only; ignored for 3.x). Default `true`: 0x00, or 0x11 when there was no such
   * subscription (MQTT 5).
   */
  unsuback: ReplyScript<UnsubscribePacket, number[]>;
  /**
   * PUBACK to a QoS 1 PUBLISH; a function returns the reason code (MQTT 5 only;
   * ≥ 0x80 refuses the message: it is not routed). Default `true`: 0x00.
   */
  puback: ReplyScript<PublishPacket, number>;
  /**
   * PUBREC to a QoS 2 PUBLISH; a function returns the reason code (MQTT 5 only;
   * ≥ 0x80 refuses the message and ends the flow). Default `true`: 0x00.
   */
  pubrec: ReplyScript<PublishPacket, number>;
  /** PUBREL to the client's PUBREC, when the broker publishes at QoS 2. Default `true`. */
  pubrel: boolean;
  /** PUBCOMP to PUBREL. Default `true`. */
  pubcomp: boolean;
  /** PINGRESP to PINGREQ. Default `true`. */
  pingresp: boolean;
  /**
   * Milliseconds (on the broker's scheduler) between receiving a packet and sending
   * its automatic reply, per reply. Default 0: in the same virtual frame, after the
   * current action (never synchronously inside the client's `send`).
   */
  delays: Partial<Record<ReplyCmd, number>>;
}

/** Options of {@link scriptedBroker}: the initial {@link BrokerReplies} and more. */
export interface ScriptedBrokerOptions extends Partial<BrokerReplies> {
  /**
   * Where the reply delays run. Default `asyncScheduler`, which `TestScheduler.run()`
   * makes virtual; outside it the delays are real milliseconds.
   */
  scheduler?: SchedulerLike;
  /** Keep retained messages and send them to new matching subscriptions. Default `true`. */
  retain?: boolean;
  /** How many of the first connection attempts to refuse (the Transport errors). Default 0. */
  refuse?: number;
  /**
   * Largest packet accepted from the client, in bytes; a bigger one is a protocol
   * error that closes the connection. Default: the protocol's limit.
   */
  maxPacketSize?: number;
}

import { MqttProtocolError } from '../packets/errors.js';
import type { PublishPacket } from '../packets/packet.js';

/** Topic Alias invalid (MQTT 5 reason code). */
const TOPIC_ALIAS_INVALID = 0x94;

/**
 * The server's topic aliases on one connection (MQTT 5 3.3.2.3.4): a PUBLISH with a
 * topic and an alias sets it, one with an empty topic uses it. Cleared with the
 * connection (MQTT-3.3.2-7).
 *
 * @example
 * ```ts
 * const aliases = new IncomingAliases(10);
 * aliases.resolve(3, 'a/b'); // 'a/b' (alias 3 set)
 * aliases.resolve(3, '');    // 'a/b'
 * aliases.resolve(11, 'x');  // MqttProtocolError 0x94
 * aliases.topicOf(publish);  // its topic, through its alias if it has one
 * ```
 */
export class IncomingAliases {
  private readonly topics = new Map<number, string>();

  /**
   * @param maximum the Topic Alias Maximum we sent in CONNECT (0: none allowed).
   */
  constructor(private readonly maximum: number) {}

  /**
   * The topic of an incoming PUBLISH: its topic name, or what its Topic Alias stands
   * for (see {@link resolve}).
   *
   * @param packet the PUBLISH.
   * @returns the topic, or the error to disconnect with (0x94, Topic Alias invalid).
   */
  topicOf(packet: PublishPacket): string | MqttProtocolError {
    const alias = packet.properties?.topicAlias;
    return alias === undefined ? packet.topic : this.resolve(alias, packet.topic);
  }

  /**
   * The topic of a PUBLISH that carries `alias`.
   *
   * @param alias its Topic Alias.
   * @param topic its topic name, '' when the alias stands for it.
   * @returns the topic, or the error to disconnect with (0x94, Topic Alias invalid).
   */
  resolve(alias: number, topic: string): string | MqttProtocolError {
    // MQTT-3.3.2-8, MQTT-3.3.2-10: 0 < alias ≤ the Topic Alias Maximum we sent.
    if (alias === 0 || alias > this.maximum) {
      return new MqttProtocolError(`topic alias ${alias} outside 1..${this.maximum}`, TOPIC_ALIAS_INVALID);
    }
    if (topic !== '') {
      this.topics.set(alias, topic);
      return topic;
    }
    return this.topics.get(alias) ?? new MqttProtocolError(`topic alias ${alias} used before it was set`, TOPIC_ALIAS_INVALID);
  }

  /** The connection ended: its aliases are void (MQTT-3.3.2-7). */
  clear(): void {
    this.topics.clear();
  }
}

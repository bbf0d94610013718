import { matches } from '../packets/topic.js';
import type { PublishPacket } from '../packets/packet.js';

/** The retained messages of a scripted broker, one per topic. */
export class RetainedMessages {
  private readonly byTopic = new Map<string, PublishPacket>();

  /**
   * Keeps `publish` as the retained message of its topic, or removes the topic's
   * retained message when the payload is empty (MQTT-3.3.1-10, MQTT-3.3.1-11).
   *
   * @param publish a PUBLISH with its topic resolved.
   */
  store(publish: PublishPacket): void {
    if (publish.payload.length === 0) this.byTopic.delete(publish.topic);
    else this.byTopic.set(publish.topic, publish);
  }

  /**
   * @param filter a topic filter.
   * @returns the retained messages whose topic it matches, oldest first.
   */
  matching(filter: string): PublishPacket[] {
    return [...this.byTopic.values()].filter((publish) => matches(filter, publish.topic));
  }
}

import { MqttProtocolError, PROTOCOL_ERROR } from '../packets/errors.js';

/** A table of flows keyed by packet identifier: an identifier it has is in use. */
export interface PacketIdTable {
  has(id: number): boolean;
}

/**
 * The client's packet identifiers, one space shared by every flow that needs one:
 * QoS 1/2 PUBLISH (and its PUBREL), SUBSCRIBE and UNSUBSCRIBE. Identifiers go round
 * 1..65535 in order, skipping those the two tables of flows hold; an identifier is in
 * use from the moment its flow enters a table until it leaves it (the acknowledgement
 * arrived), so allocating reserves nothing by itself.
 *
 * @example
 * ```ts
 * const ids = new PacketIds(publishes, subscriptions);
 * const id = ids.allocate(); // 1, unless a table holds 1
 * ids.reuse(id);             // it was not sent after all: the next allocate() gives it again
 * ```
 */
export class PacketIds {
  private next = 1;

  /**
   * @param publishes the outbound QoS 1/2 flows (PUBLISH, then PUBREL) by identifier.
   * @param subscriptions the SUBSCRIBE / UNSUBSCRIBE awaiting their ack, by identifier.
   */
  constructor(
    private readonly publishes: PacketIdTable,
    private readonly subscriptions: PacketIdTable,
  ) {}

  /**
   * MQTT-2.2.1-3 (5) / MQTT-2.3.1-1, MQTT-2.3.1-2 (3.1.1): a non-zero identifier not
   * used by any PUBLISH, PUBREL, SUBSCRIBE or UNSUBSCRIBE in flight.
   *
   * @returns the identifier, the next free one after the last given.
   * @throws MqttProtocolError when all 65535 are in use.
   */
  allocate(): number {
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.next;
      this.next = id === 65535 ? 1 : id + 1;
      if (!this.publishes.has(id) && !this.subscriptions.has(id)) return id;
    }
    throw new MqttProtocolError('all 65535 packet identifiers are in use', PROTOCOL_ERROR);
  }

  /**
   * The identifier last allocated was not used (its packet was refused before it went
   * out): the next {@link allocate} starts from it again, so identifiers stay in order.
   *
   * @param id the identifier {@link allocate} gave.
   */
  reuse(id: number): void {
    this.next = id;
  }
}

import { MqttProtocolError } from '../../src/packets/errors.js';
import { InboundAcks } from '../../src/protocol/inbound-acks.js';
import type { TopicStream } from '../../src/protocol/topic-stream.js';
import { memoryStore } from '../../src/store/index.js';

const manual = (filter: string): TopicStream => ({ filter, options: { ack: 'manual' } });
const auto = (filter: string): TopicStream => ({ filter, options: {} });

function acks(limit = 0, stored: number[] = []) {
  const sent: string[] = [];
  const store = memoryStore();
  const a = new InboundAcks<TopicStream>(limit, store, stored, (qos, id) => {
    if (qos === 2) a.pubrec(id);
    sent.push(`${qos === 1 ? 'puback' : 'pubrec'} ${id}`);
  });
  return { a, sent, store };
}

describe('InboundAcks', () => {
  it('nothing held: the caller acks at once', () => {
    const { a, sent } = acks();
    expect(a.hold(a.receipt(), 1, 7, undefined)).toBe(false);
    expect(sent).toEqual([]);
  });

  it('MQTT-4.6.0-2 / MQTT-4.6.0-3: acks go in arrival order, each once its manual streams acked', () => {
    const { a, sent } = acks();
    const s = manual('a');
    const r1 = a.receipt();
    expect(a.hold(r1, 1, 1, new Set([s]))).toBe(true);
    const r2 = a.receipt();
    expect(a.hold(r2, 1, 2, undefined)).toBe(true); // behind 1
    const r3 = a.receipt();
    a.hold(r3, 2, 3, new Set([s]));
    expect(sent).toEqual([]);
    a.acknowledge(s, r3);
    expect(sent).toEqual([]); // 1 still waits
    a.acknowledge(s, r1);
    expect(sent).toEqual(['puback 1', 'puback 2', 'pubrec 3']);
    a.acknowledge(s, r1); // idempotent
    expect(sent).toHaveLength(3);
  });

  it('a manual stream that leaves counts as having acked; an auto stream changes nothing', () => {
    const { a, sent } = acks();
    const s = manual('a');
    a.hold(a.receipt(), 1, 1, new Set([s]));
    a.release(auto('a'));
    expect(sent).toEqual([]);
    a.release(s);
    expect(sent).toEqual(['puback 1']);
  });

  it('MQTT-4.3.3-10: a QoS 2 id awaits PUBREL, goes to the store with its first PUBREC, and leaves with PUBREL', () => {
    const { a, store } = acks();
    a.receivedQos2(5);
    expect(a.awaitsPubrel(5)).toBe(true);
    expect(store.load().incoming).toEqual([]);
    a.pubrec(5);
    a.pubrec(5);
    expect(store.load().incoming).toEqual([5]);
    expect(a.pubrel(5)).toBe(true);
    expect(a.awaitsPubrel(5)).toBe(false);
    expect(store.load().incoming).toEqual([]);
    expect(a.pubrel(5)).toBe(false); // PUBCOMP 0x92
  });

  it('ids loaded from the store await PUBREL; a lost session forgets them, in the store too', () => {
    const { a, store } = acks(0, [4]);
    store.putIncoming(4);
    expect(a.awaitsPubrel(4)).toBe(true);
    a.sessionLost();
    expect(a.awaitsPubrel(4)).toBe(false);
    expect(store.load().incoming).toEqual([]);
  });

  it('a PUBREC held for manual acks is known as held', () => {
    const { a } = acks();
    a.receivedQos2(3);
    a.hold(a.receipt(), 2, 3, new Set([manual('a')]));
    expect(a.pubrecHeld(3)).toBe(true);
    expect(a.pubrecHeld(4)).toBe(false);
  });

  it('MQTT-3.3.4-9: full when unacknowledged QoS 1 and unreleased QoS 2 reach the limit; a lost connection resets the count', () => {
    const { a } = acks(2);
    const s = manual('a');
    expect(a.full()).toBe(false);
    a.hold(a.receipt(), 1, 1, new Set([s])); // PUBACK held
    a.receivedQos2(2); // awaits PUBREL
    expect(a.full()).toBe(true);
    expect(a.pubrel(2)).toBe(true);
    expect(a.full()).toBe(false);
    a.receivedQos2(3);
    a.connectionLost();
    expect(a.full()).toBe(false);
    expect(a.awaitsPubrel(3)).toBe(true); // the session still owes its PUBCOMP
  });

  it('limit 0: never full', () => {
    const { a } = acks(0);
    for (let id = 1; id < 100; id++) a.receivedQos2(id);
    expect(a.full()).toBe(false);
  });

  it('admit: a new QoS 1 or 2 message is delivered; its QoS 2 id now awaits PUBREL', () => {
    const { a } = acks();
    expect(a.admit(1, 1)).toBe('deliver');
    expect(a.admit(2, 2)).toBe('deliver');
    expect(a.awaitsPubrel(2)).toBe(true);
    expect(a.admit(1, 1)).toBe('deliver'); // QoS 1 is at least once: delivered again
  });

  it('admit, MQTT-4.3.3-10 / MQTT-4.3.3-2: a QoS 2 id awaiting PUBREL is not delivered again; PUBREC again unless it is held', () => {
    const { a } = acks();
    expect(a.admit(2, 5)).toBe('deliver');
    a.pubrec(5);
    expect(a.admit(2, 5)).toBe('pubrec');
    expect(a.admit(2, 6)).toBe('deliver');
    a.hold(a.receipt(), 2, 6, new Set([manual('a')]));
    expect(a.admit(2, 6)).toBe('held');
    a.pubrel(5);
    expect(a.admit(2, 5)).toBe('deliver'); // released: a new message with the same id
  });

  it('admit, MQTT-3.3.4-9: a new message over our Receive Maximum is the error 0x93; a QoS 2 repeat is not counted', () => {
    const { a } = acks(1);
    expect(a.admit(2, 1)).toBe('deliver');
    a.pubrec(1);
    expect(a.admit(2, 1)).toBe('pubrec');
    const error = a.admit(1, 2);
    expect(error).toBeInstanceOf(MqttProtocolError);
    expect((error as MqttProtocolError).reasonCode).toBe(0x93);
    expect((error as MqttProtocolError).message).toMatch(/Receive Maximum \(1\).*MQTT-3\.3\.4-9/);
    expect(a.awaitsPubrel(2)).toBe(false);
  });
});

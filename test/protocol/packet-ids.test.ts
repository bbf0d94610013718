import { MqttProtocolError, PROTOCOL_ERROR } from '../../src/packets/errors.js';
import { PacketIds } from '../../src/protocol/packet-ids.js';

function ids(publishes = new Set<number>(), subscriptions = new Set<number>()) {
  return { ids: new PacketIds(publishes, subscriptions), publishes, subscriptions };
}

describe('PacketIds', () => {
  it('MQTT-2.2.1-3 / MQTT-2.3.1-1: non-zero identifiers, in order from 1', () => {
    const { ids: a } = ids();
    expect([a.allocate(), a.allocate(), a.allocate()]).toEqual([1, 2, 3]);
  });

  it('MQTT-2.2.1-3 / MQTT-2.3.1-2: skips the identifiers either table holds (one space for PUBLISH and SUBSCRIBE)', () => {
    const { ids: a } = ids(new Set([1, 3]), new Set([2, 5]));
    expect([a.allocate(), a.allocate(), a.allocate()]).toEqual([4, 6, 7]);
  });

  it('allocating reserves nothing: an identifier no table took comes round again', () => {
    const { ids: a, publishes } = ids();
    expect(a.allocate()).toBe(1);
    publishes.add(2);
    for (let i = 3; i <= 65535; i++) publishes.add(i);
    expect(a.allocate()).toBe(1); // 2..65535 are taken, 1 was never put in a table
  });

  it('goes round from 65535 to 1, never 0', () => {
    const { ids: a } = ids();
    a.reuse(65535);
    expect([a.allocate(), a.allocate()]).toEqual([65535, 1]);
  });

  it('reuse: an identifier not sent after all is the next one given, so identifiers stay in order', () => {
    const { ids: a } = ids();
    a.allocate();
    const id = a.allocate();
    a.reuse(id);
    expect([a.allocate(), a.allocate()]).toEqual([2, 3]);
  });

  it('all 65535 in use: a protocol error, nothing given', () => {
    const all = new Set<number>();
    for (let i = 1; i <= 65535; i++) all.add(i);
    const { ids: a, publishes } = ids(all);
    expect(() => a.allocate()).toThrow(MqttProtocolError);
    expect(() => a.allocate()).toThrow(expect.objectContaining({ reasonCode: PROTOCOL_ERROR }));
    publishes.delete(40000);
    expect(a.allocate()).toBe(40000);
  });
});

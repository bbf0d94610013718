import { MqttProtocolError } from '../../src/packets/errors.js';
import type { PublishPacket } from '../../src/packets/packet.js';
import { OutboundFlows } from '../../src/protocol/outbound-flows.js';
import type { PublishRequest } from '../../src/protocol/publish-request.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';

interface Req extends PublishRequest {
  readonly name: string;
}

const req = (name: string, qos: 1 | 2 = 1): Req => ({ name, topic: 't', payload: new Uint8Array([1]), qos, retain: false });
const packet = (id: number, qos: 1 | 2 = 1): PublishPacket => ({
  cmd: 'publish',
  topic: 't',
  payload: new Uint8Array([1]),
  qos,
  dup: false,
  retain: false,
  messageId: id,
});

/** A memory store that logs the outgoing calls, and throws on those named in `failing`. */
function spyStore(): { store: SessionStore; calls: string[]; failing: Set<string> } {
  const inner = memoryStore();
  const calls: string[] = [];
  const failing = new Set<string>();
  const call = (name: string, run: () => void): void => {
    calls.push(name);
    if (failing.has(name.split('(')[0] ?? '')) throw new Error(`ENOSPC: ${name}`);
    run();
  };
  const store: SessionStore = {
    ...inner,
    putOutgoing: (p, seq) => call(`putOutgoing(${p.messageId}${seq === undefined ? '' : `, ${seq}`})`, () => inner.putOutgoing(p, seq)),
    releaseOutgoing: (id) => call(`releaseOutgoing(${id})`, () => inner.releaseOutgoing(id)),
    deleteOutgoing: (id) => call(`deleteOutgoing(${id})`, () => inner.deleteOutgoing(id)),
  };
  return { store, calls, failing };
}

function flows(restored: { packet: PublishPacket; released: boolean }[] = []) {
  const spy = spyStore();
  return { f: new OutboundFlows<Req>(spy.store, restored), ...spy };
}

describe('OutboundFlows', () => {
  it('restores the flows an earlier process left, in order, with no request to settle', () => {
    const noId: PublishPacket = { ...packet(9), messageId: undefined };
    const { f } = flows([{ packet: packet(4), released: false }, { packet: noId, released: false }, { packet: packet(2, 2), released: true }]);
    expect(f.size).toBe(2);
    expect(Array.from(f.entries(), ([id, flow]) => [id, flow.request, flow.released])).toEqual([
      [4, undefined, false],
      [2, undefined, true],
    ]);
    expect(f.has(4) && f.has(2) && !f.has(9)).toBe(true);
  });

  it('the window: full at `window` flows; 0 until a CONNACK sets it', () => {
    const { f } = flows();
    expect(f.full).toBe(true);
    f.window = 2;
    expect(f.full).toBe(false);
    f.start(req('a'), packet(1), undefined);
    expect(f.full).toBe(false);
    f.start(req('b'), packet(2), undefined);
    expect([f.size, f.full]).toEqual([2, true]);
  });

  it('start: to the store first (with its queue number), then in flight', () => {
    const { f, store, calls } = flows();
    store.putQueued(3, { ...packet(0), messageId: undefined });
    expect(f.start(req('a'), packet(1), 3)).toBeUndefined();
    expect(calls).toEqual(['putOutgoing(1, 3)']);
    expect(store.load()).toMatchObject({ outgoing: [{ packet: { messageId: 1 }, released: false }], queued: [] });
    expect(f.has(1)).toBe(true);
  });

  it('start: a store that fails: its error, and the publish is not in flight', () => {
    const { f, failing } = flows();
    failing.add('putOutgoing');
    const error = f.start(req('a'), packet(1), undefined);
    expect(error).toBeInstanceOf(Error);
    expect(f.has(1)).toBe(false);
  });

  it('PUBACK ends a QoS 1 flow and its record; an unknown id changes nothing', () => {
    const { f, calls, store } = flows();
    const a = req('a');
    f.start(a, packet(1), undefined);
    expect(f.puback(7)).toBeUndefined();
    const flow = f.puback(1);
    expect(flow).toMatchObject({ request: a, packet: { messageId: 1 } });
    expect(f.has(1)).toBe(false);
    expect(calls).toEqual(['putOutgoing(1)', 'deleteOutgoing(1)']);
    expect(store.load().outgoing).toEqual([]);
    expect(f.puback(1)).toBeUndefined(); // a repeated PUBACK
  });

  it('PUBACK for a QoS 2 flow is a protocol error; the flow stays', () => {
    const { f } = flows();
    f.start(req('a', 2), packet(1, 2), undefined);
    const error = f.puback(1);
    expect(error).toBeInstanceOf(MqttProtocolError);
    expect((error as Error).message).toBe('PUBACK for QoS 2 message 1');
    expect(f.has(1)).toBe(true);
  });

  it('MQTT-4.3.3-3: PUBREC moves a QoS 2 flow to the PUBREL phase once, in the store too', () => {
    const { f, calls, store } = flows();
    f.start(req('a', 2), packet(1, 2), undefined);
    expect(f.pubrec(1, 0)).toMatchObject({ released: true });
    expect(f.pubrec(1, 0)).toMatchObject({ released: true }); // repeated: the caller answers PUBREL again
    expect(calls).toEqual(['putOutgoing(1)', 'releaseOutgoing(1)']);
    expect(store.load().outgoing).toMatchObject([{ released: true }]);
    expect(f.has(1)).toBe(true);
  });

  it('MQTT-4.3.3-4: a refusing PUBREC ends the flow, the identifier is free again', () => {
    const { f, calls } = flows();
    f.start(req('a', 2), packet(1, 2), undefined);
    expect(f.pubrec(1, 0x80)).toMatchObject({ released: false });
    expect(f.has(1)).toBe(false);
    expect(calls).toEqual(['putOutgoing(1)', 'deleteOutgoing(1)']);
  });

  it('PUBREC: an unknown id gives undefined (PUBREL 0x92 is the caller\'s); a QoS 1 flow is a protocol error', () => {
    const { f } = flows();
    f.start(req('a'), packet(1), undefined);
    expect(f.pubrec(5, 0)).toBeUndefined();
    expect(f.pubrec(1, 0)).toEqual(new MqttProtocolError('PUBREC for QoS 1 message 1', 0x82));
    expect(f.has(1)).toBe(true);
  });

  it('PUBCOMP ends a released QoS 2 flow; before PUBREC it is a protocol error; an unknown id changes nothing', () => {
    const { f, calls } = flows();
    f.start(req('a', 2), packet(1, 2), undefined);
    expect(f.pubcomp(1)).toBeInstanceOf(MqttProtocolError);
    expect(f.has(1)).toBe(true);
    f.pubrec(1, 0);
    expect(f.pubcomp(1)).toMatchObject({ released: true, packet: { messageId: 1 } });
    expect(f.has(1)).toBe(false);
    expect(f.pubcomp(1)).toBeUndefined();
    expect(calls).toEqual(['putOutgoing(1)', 'releaseOutgoing(1)', 'deleteOutgoing(1)']);
  });

  it('MQTT-3.3.1-1: duplicate sets DUP on a new packet, same identifier; the first one is left as it was', () => {
    const { f } = flows();
    const first = packet(1);
    f.start(req('a'), first, undefined);
    const [[, flow]] = Array.from(f.entries());
    const dup = f.duplicate(flow!);
    expect(dup).toEqual({ ...first, dup: true });
    expect(flow!.packet).toBe(dup);
    expect(first.dup).toBe(false);
  });

  it('restart: without DUP, back before PUBREC, stored again as first sent', () => {
    const { f, calls, store } = flows([{ packet: { ...packet(2, 2), dup: true }, released: true }]);
    const [[, flow]] = Array.from(f.entries());
    expect(f.restart(flow!)).toBeUndefined();
    expect(flow).toMatchObject({ released: false, packet: { dup: false, messageId: 2 } });
    expect(calls).toEqual(['putOutgoing(2)']);
    expect(store.load().outgoing).toMatchObject([{ released: false, packet: { messageId: 2 } }]);
  });

  it('restart: a store that fails: its error; the flow restarts in memory regardless', () => {
    const { f, failing } = flows([{ packet: packet(2, 2), released: true }]);
    failing.add('putOutgoing');
    const [[, flow]] = Array.from(f.entries());
    expect(f.restart(flow!)).toBeInstanceOf(Error);
    expect(flow!.released).toBe(false);
  });

  it('drain: rejects the requests of this process in order, forgets every flow, leaves the store as it is', () => {
    const { f, store } = flows([{ packet: packet(9), released: false }]);
    store.putOutgoing(packet(9));
    f.start(req('a'), packet(1), undefined);
    f.start(req('b', 2), packet(2, 2), undefined);
    const rejected: string[] = [];
    f.drain((r) => rejected.push(r.name));
    expect(rejected).toEqual(['a', 'b']);
    expect(f.size).toBe(0);
    expect(store.load().outgoing.map((o) => o.packet.messageId)).toEqual([9, 1, 2]);
  });
});

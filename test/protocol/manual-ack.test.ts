import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import { Session } from '../../src/protocol/session.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { cmds, config, connack, connected, incoming, Recorder, reconnect, stream, type Req, type Stream } from './session-harness.js';

/** A recorder that also keeps the receipt of each manual delivery, by stream name. */
class Receipts extends Recorder {
  readonly receipts: Array<{ stream: string; receipt: number; message: MqttMessage }> = [];
  override deliver(stream: Stream, message: MqttMessage, receipt?: number): void {
    super.deliver(stream, message);
    if (receipt !== undefined) this.receipts.push({ stream: stream.name, receipt, message });
  }
  /** @returns the receipt of the `n`th manual delivery (0-based) to `name`. */
  of(name: string, n = 0): number {
    const r = this.receipts.filter((x) => x.stream === name)[n];
    if (r === undefined) throw new Error(`no receipt #${n} for ${name}`);
    return r.receipt;
  }
}

function manualSession(store: SessionStore = memoryStore(), clean = true): { s: Session<Req, Stream>; out: Receipts } {
  const out = new Receipts();
  return { s: new Session<Req, Stream>(config({ store, clean }), out), out };
}

const manual = (name: string, filter: string, qos: 0 | 1 | 2 = 2): Stream => stream(name, filter, { qos, ack: 'manual' });

describe('Session: manual acknowledgement', () => {
  it('QoS 1: PUBACK waits for ack(); ack() is idempotent', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m = manual('m', 'a/#');
    s.subscribe(m, 0);
    out.take();
    s.received(incoming('a/b', 1, 9), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'deliver']);
    s.acknowledge(m, out.of('m'), 5);
    expect(cmds(out.sent())).toEqual(['puback:9']);
    s.acknowledge(m, out.of('m'), 6);
    expect(out.sent()).toEqual([]);
  });

  it('QoS 2: PUBREC waits for ack(); a re-send before it is neither delivered nor answered (MQTT-4.3.3-10)', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    out.take();
    s.received(incoming('a', 2, 5), 0);
    s.received(incoming('a', 2, 5, true), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'deliver']);
    s.acknowledge(m, out.of('m'), 0);
    expect(cmds(out.sent())).toEqual(['pubrec:5']);
    s.received({ cmd: 'pubrel', messageId: 5 }, 0);
    expect(cmds(out.sent())).toEqual(['pubcomp:5']);
  });

  it('QoS 0 messages of a manual stream get no receipt and need no ack', () => {
    const { s, out } = manualSession();
    connected(s, out);
    s.subscribe(manual('m', 'a'), 0);
    out.take();
    s.received(incoming('a', 0), 0);
    expect(out.receipts).toEqual([]);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'deliver']);
  });

  it('MQTT-4.6.0-2 / MQTT-4.6.0-3: acks go in the order the PUBLISHes arrived; a later ack waits for an earlier one', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    out.take();
    s.received(incoming('a', 1, 1), 0);
    s.received(incoming('a', 2, 2), 0);
    s.received(incoming('a', 1, 3), 0);
    out.take();
    s.acknowledge(m, out.of('m', 2), 0);
    s.acknowledge(m, out.of('m', 1), 0);
    expect(out.sent()).toEqual([]);
    s.acknowledge(m, out.of('m', 0), 0);
    expect(cmds(out.sent())).toEqual(['puback:1', 'pubrec:2', 'puback:3']);
  });

  it('a message for auto streams only still waits behind an unacked earlier one (MQTT-4.6.0-2)', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    s.subscribe(stream('auto', 'b', { qos: 1 }), 0);
    out.take();
    s.received(incoming('a', 1, 1), 0);
    s.received(incoming('b', 1, 2), 0);
    expect(out.sent()).toEqual([]);
    s.acknowledge(m, out.of('m'), 0);
    expect(cmds(out.sent())).toEqual(['puback:1', 'puback:2']);
  });

  it('with no manual stream, acks go at once, as before', () => {
    const { s, out } = manualSession();
    connected(s, out);
    s.subscribe(stream('auto', 'a', { qos: 2 }), 0);
    out.take();
    s.received(incoming('a', 1, 1), 0);
    s.received(incoming('a', 2, 2), 0);
    expect(cmds(out.sent())).toEqual(['puback:1', 'pubrec:2']);
  });

  it('a message reaching several streams is acked when every manual one has acked; auto streams count as acked', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m1 = manual('m1', 'a/+');
    const m2 = manual('m2', 'a/#');
    s.subscribe(m1, 0);
    s.subscribe(m2, 0);
    s.subscribe(stream('auto', 'a/b', { qos: 1 }), 0);
    out.take();
    s.received(incoming('a/b', 1, 4), 0);
    expect(out.take().filter((e) => e.type === 'deliver')).toHaveLength(3);
    s.acknowledge(m1, out.of('m1'), 0);
    expect(out.sent()).toEqual([]);
    s.acknowledge(m1, out.of('m1'), 0); // twice from the same stream is still one
    expect(out.sent()).toEqual([]);
    s.acknowledge(m2, out.of('m2'), 0);
    expect(cmds(out.sent())).toEqual(['puback:4']);
  });

  it('a receipt given to one stream does not ack for another', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m1 = manual('m1', 'a');
    const m2 = manual('m2', 'a');
    s.subscribe(m1, 0);
    s.subscribe(m2, 0);
    out.take();
    s.received(incoming('a', 1, 4), 0);
    s.acknowledge(m1, out.of('m2'), 0);
    s.acknowledge(m1, out.of('m1'), 0);
    expect(out.sent()).toEqual([]);
  });

  it('a stream that unsubscribes with unacked messages acks them', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m1 = manual('m1', 'a');
    const m2 = manual('m2', 'a/#');
    s.subscribe(m1, 0);
    s.subscribe(m2, 0);
    out.take();
    s.received(incoming('a', 1, 1), 0);
    s.received(incoming('a', 2, 2), 0);
    s.acknowledge(m2, out.of('m2', 0), 0);
    s.acknowledge(m2, out.of('m2', 1), 0);
    out.take();
    s.unsubscribe(m1, 0);
    expect(cmds(out.sent())).toEqual(['puback:1', 'pubrec:2', 'unsubscribe:3']);
  });

  it('a refused subscription acks what its streams were given', () => {
    const { s, out } = manualSession();
    connected(s, out);
    const m1 = manual('m', 'a', 1);
    s.subscribe(m1, 0); // SUBSCRIBE id 1, granted
    s.received({ cmd: 'suback', messageId: 1, granted: [1] }, 0);
    const m2 = manual('m2', 'a', 2); // upgrade: SUBSCRIBE id 2, refused below
    s.subscribe(m2, 0);
    out.take();
    s.received(incoming('a', 1, 7), 0);
    s.acknowledge(m1, out.of('m'), 0);
    expect(out.sent()).toEqual([]);
    s.received({ cmd: 'suback', messageId: 2, granted: [0x80] }, 0);
    expect(cmds(out.sent())).toEqual(['puback:7']);
  });

  it('after a reconnect the old receipts are void; QoS 1 is delivered again with DUP and acked again', () => {
    const { s, out } = manualSession(memoryStore(), false);
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [2] }, 0);
    out.take();
    s.received(incoming('a', 1, 3), 0);
    const old = out.of('m', 0);
    reconnect(s, out, connack(true));
    s.acknowledge(m, old, 0);
    expect(out.sent()).toEqual([]);
    s.received(incoming('a', 1, 3, true), 0);
    expect(out.take().map((e) => e.type)).toEqual(['message', 'deliver']);
    s.acknowledge(m, out.of('m', 1), 0);
    expect(cmds(out.sent())).toEqual(['puback:3']);
  });

  it('after a reconnect a QoS 2 message delivered before PUBREC is not delivered again: PUBREC at once, and only then stored', () => {
    const store = memoryStore();
    const { s, out } = manualSession(store, false);
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [2] }, 0);
    out.take();
    s.received(incoming('a', 2, 3), 0);
    // Delivered, not acked: a restart may have it again (the application never acked it).
    expect(store.load().incoming).toEqual([]);
    reconnect(s, out, connack(true));
    s.received(incoming('a', 2, 3, true), 0);
    expect(out.take()).toEqual([{ type: 'send', packet: { cmd: 'pubrec', messageId: 3 } }]);
    expect(Array.from(store.load().incoming)).toEqual([3]);
    s.acknowledge(m, out.of('m', 0), 0); // the old receipt: nothing more
    expect(out.sent()).toEqual([]);
  });

  it('the ack queue of a connection is dropped on loss: new messages are not held behind old ones', () => {
    const { s, out } = manualSession(memoryStore(), false);
    connected(s, out);
    const m = manual('m', 'a');
    s.subscribe(m, 0);
    s.received({ cmd: 'suback', messageId: 1, granted: [2] }, 0);
    s.received(incoming('a', 1, 3), 0);
    reconnect(s, out, connack(true));
    s.received(incoming('a', 1, 4), 0);
    out.take();
    s.acknowledge(m, out.of('m', 1), 0);
    expect(cmds(out.sent())).toEqual(['puback:4']);
  });
});

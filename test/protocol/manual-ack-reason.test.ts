// MQTT 5: a manual ack() may carry a reason code and properties (3.4.2.1, 3.5.2.1);
// 0x80 or more refuses the message, and a refusing PUBREC ends the QoS 2 flow (4.3.3).
import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import type { PubackPacket, PubrecPacket } from '../../src/packets/packet.js';
import { Session } from '../../src/protocol/session.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { cmds, config, connack, connected, incoming, Recorder, stream, type Req, type Stream } from './session-harness.js';

class Receipts extends Recorder {
  readonly receipts: number[] = [];
  override deliver(s: Stream, message: MqttMessage, receipt?: number): void {
    super.deliver(s, message);
    if (receipt !== undefined) this.receipts.push(receipt);
  }
}

function setup(protocolVersion: 4 | 5 = 5) {
  const out = new Receipts();
  const store = memoryStore();
  const s = new Session<Req, Stream>(config({ protocolVersion, store }), out);
  connected(s, out, protocolVersion === 5 ? connack(false, { returnCode: undefined, reasonCode: 0 }) : connack());
  const a = stream('a', 'a/#', { qos: 2, ack: 'manual' });
  const b = stream('b', 'a/#', { qos: 2, ack: 'manual' });
  s.subscribe(a, 0);
  s.subscribe(b, 0);
  out.take();
  return { s, out, store, a, b };
}

describe('Session: manual ack with a reason (MQTT 5)', () => {
  it('QoS 1: the PUBACK carries the reason code, reason string and user properties', () => {
    const { s, out, a, b } = setup();
    s.received(incoming('a/1', 1, 3), 0);
    const [receipt] = out.receipts;
    s.acknowledge(a, receipt as number, 1, { reasonCode: 0x99, reasonString: 'not JSON', userProperties: { by: 'a' } });
    expect(out.sent()).toEqual([]); // b has not acked
    s.acknowledge(b, receipt as number, 2);
    expect(out.sent()).toEqual<PubackPacket[]>([
      { cmd: 'puback', messageId: 3, reasonCode: 0x99, properties: { reasonString: 'not JSON', userProperties: { by: 'a' } } },
    ]);
  });

  it('a refusal from any stream wins over a success; among successes the first answer is kept', () => {
    const { s, out, a, b } = setup();
    s.received(incoming('a/1', 1, 3), 0);
    s.received(incoming('a/2', 1, 4), 0);
    const [first, , second] = out.receipts as [number, number, number]; // one receipt a message, given to both streams
    s.acknowledge(a, first, 1, { reasonCode: 0x10 });
    s.acknowledge(b, first, 1, { reasonCode: 0x80 });
    s.acknowledge(a, second, 1, { reasonCode: 0x10 });
    s.acknowledge(b, second, 1, { reasonCode: 0 });
    expect(out.sent()).toEqual([
      { cmd: 'puback', messageId: 3, reasonCode: 0x80 },
      { cmd: 'puback', messageId: 4, reasonCode: 0x10 },
    ]);
  });

  it('QoS 2 refused: PUBREC 0x80 ends the flow (4.3.3): the id is not stored, no PUBREL awaited, the same id next time is a new message', () => {
    const { s, out, store, a, b } = setup();
    s.received(incoming('a/1', 2, 7), 0);
    const [receipt] = out.receipts as [number];
    s.acknowledge(a, receipt, 1, { reasonCode: 0x87 });
    s.acknowledge(b, receipt, 1);
    expect(out.sent()).toEqual<PubrecPacket[]>([{ cmd: 'pubrec', messageId: 7, reasonCode: 0x87 }]);
    expect(store.load().incoming).toEqual([]);
    // A PUBREL for it anyway: "packet identifier not found".
    s.received({ cmd: 'pubrel', messageId: 7, reasonCode: 0 }, 2);
    expect(out.sent()).toEqual([{ cmd: 'pubcomp', messageId: 7, reasonCode: 0x92 }]);
    // The server reusing the id: a new message, delivered.
    s.received(incoming('a/2', 2, 7), 3);
    expect(out.take().filter((e) => e.type === 'deliver')).toHaveLength(2);
  });

  it('QoS 2 accepted with a reason string: PUBREC 0x00 with it, then PUBREL / PUBCOMP as usual', () => {
    const { s, out, store, a, b } = setup();
    s.received(incoming('a/1', 2, 8), 0);
    const [receipt] = out.receipts as [number];
    s.acknowledge(a, receipt, 1, { reasonString: 'ok' });
    s.acknowledge(b, receipt, 1);
    expect(out.sent()).toEqual([{ cmd: 'pubrec', messageId: 8, reasonCode: 0, properties: { reasonString: 'ok' } }]);
    expect(store.load().incoming).toEqual([8]);
    s.received({ cmd: 'pubrel', messageId: 8, reasonCode: 0 }, 2);
    expect(cmds(out.sent())).toEqual(['pubcomp:8']);
  });

  it('MQTT 3.1.1: the reason is ignored; a "refused" QoS 2 message goes through PUBREC / PUBREL as usual', () => {
    const { s, out, store, a, b } = setup(4);
    s.received(incoming('a/1', 2, 9), 0);
    const [receipt] = out.receipts as [number];
    s.acknowledge(a, receipt, 1, { reasonCode: 0x80, reasonString: 'no' });
    s.acknowledge(b, receipt, 1);
    expect(out.sent()).toEqual([{ cmd: 'pubrec', messageId: 9 }]);
    expect(store.load().incoming).toEqual([9]);
  });
});

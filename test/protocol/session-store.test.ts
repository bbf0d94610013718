import type { PublishPacket } from '../../src/packets/packet.js';
import { MqttClosedError, MqttStoreError } from '../../src/protocol/errors.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { cmds, connack, connected, incoming, req, session, type Effect } from './session-harness.js';

type Call = keyof SessionStore;

/**
 * A memory store that logs every call (name and arguments) and throws, instead of
 * storing, on the calls named in `failing` (which the test may change as it goes).
 */
function spyStore(inner: SessionStore = memoryStore()): { store: SessionStore; calls: string[]; failing: Set<Call> } {
  const calls: string[] = [];
  const failing = new Set<Call>();
  const call = (name: Call, args: string, run: () => void): void => {
    calls.push(`${name}(${args})`);
    if (failing.has(name)) throw Object.assign(new Error(`ENOSPC: no space left on device, ${name}`), { code: 'ENOSPC' });
    run();
  };
  const store: SessionStore = {
    load: () => {
      call('load', '', () => undefined);
      return inner.load();
    },
    putQueued: (seq, packet) => call('putQueued', `${seq}`, () => inner.putQueued(seq, packet)),
    deleteQueued: (seq) => call('deleteQueued', `${seq}`, () => inner.deleteQueued(seq)),
    putOutgoing: (packet, seq) =>
      call('putOutgoing', seq === undefined ? `${packet.messageId}` : `${packet.messageId}, ${seq}`, () => inner.putOutgoing(packet, seq)),
    releaseOutgoing: (id) => call('releaseOutgoing', `${id}`, () => inner.releaseOutgoing(id)),
    deleteOutgoing: (id) => call('deleteOutgoing', `${id}`, () => inner.deleteOutgoing(id)),
    putIncoming: (id) => call('putIncoming', `${id}`, () => inner.putIncoming(id)),
    deleteIncoming: (id) => call('deleteIncoming', `${id}`, () => inner.deleteIncoming(id)),
    clearIncoming: () => call('clearIncoming', '', () => inner.clearIncoming()),
  };
  return { store, calls, failing };
}

/** A PUBLISH as stored in the queue (no packet identifier). */
function queuedPacket(text: string, qos: 1 | 2 = 1): PublishPacket {
  return { cmd: 'publish', topic: 'q', payload: new TextEncoder().encode(text), qos, dup: false, retain: false };
}

/** Payload texts of the PUBLISHes sent, with DUP marked. */
function texts(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) =>
    e.type === 'send' && e.packet.cmd === 'publish' ? [`${new TextDecoder().decode(e.packet.payload)}${e.packet.dup ? '+dup' : ''}`] : [],
  );
}

const named = (name: string, qos: 0 | 1 | 2 = 1) => req(name, qos, 'a/b', new TextEncoder().encode(name));

describe('Session: the offline queue in the store (QoS 1/2)', () => {
  it('stores a QoS 1/2 publish as it is queued, with increasing queue numbers; QoS 0 never', () => {
    const { store, calls } = spyStore();
    const { s } = session({ store });
    calls.length = 0;
    s.start(0);
    s.publish(named('a', 1), 0);
    s.publish(named('b', 0), 0);
    s.publish(named('c', 2), 0);
    expect(calls).toEqual(['putQueued(1)', 'putQueued(2)']);
    expect(store.load().queued.map((q) => [q.seq, q.packet.qos, q.packet.messageId])).toEqual([
      [1, 1, undefined],
      [2, 2, undefined],
    ]);
  });

  it('a publish sent at once (connected, window open) touches the store once, as before: putOutgoing', () => {
    const { store, calls } = spyStore();
    const { s, out } = session({ store });
    connected(s, out);
    calls.length = 0;
    s.publish(named('a', 1), 0);
    s.publish(named('b', 0), 0);
    expect(calls).toEqual(['putOutgoing(1)']);
  });

  it('leaving the queue for the wire is one store call that names the queue number (atomic move)', () => {
    const { store, calls } = spyStore();
    const { s, out } = session({ store });
    s.start(0);
    s.publish(named('a', 1), 0);
    s.publish(named('b', 2), 0);
    s.opened(0);
    calls.length = 0;
    s.received(connack(), 0);
    expect(texts(out.take())).toEqual(['a', 'b']);
    expect(calls).toEqual(['clearIncoming()', 'putOutgoing(1, 1)', 'putOutgoing(2, 2)']);
    expect(store.load().queued).toEqual([]);
    expect(store.load().outgoing.map((o) => o.packet.messageId)).toEqual([1, 2]);
  });

  it('behind a full window: queued in the store, and moved to in-flight as the window opens (MQTT-3.3.4-7)', () => {
    const { store, calls } = spyStore();
    const { s, out } = session({ store, maxInflight: 1 });
    connected(s, out);
    calls.length = 0;
    s.publish(named('a'), 0);
    s.publish(named('b'), 0);
    expect(calls).toEqual(['putOutgoing(1)', 'putQueued(1)']);
    expect(texts(out.take())).toEqual(['a']);
    calls.length = 0;
    s.received({ cmd: 'puback', messageId: 1 }, 0);
    expect(calls).toEqual(['deleteOutgoing(1)', 'putOutgoing(2, 1)']);
    expect(texts(out.take())).toEqual(['b']);
  });

  it('a publish cancelled while queued leaves the store; QoS 0 needs no store call', () => {
    const { store, calls } = spyStore();
    const { s } = session({ store });
    s.start(0);
    const a = named('a');
    const z = named('z', 0);
    s.publish(a, 0);
    s.publish(z, 0);
    calls.length = 0;
    s.cancel(a);
    s.cancel(z);
    s.cancel(a); // not queued any more: nothing
    expect(calls).toEqual(['deleteQueued(1)']);
    expect(store.load().queued).toEqual([]);
  });

  it('end() fails the queued publishes and forgets them in the store', () => {
    const { store, calls } = spyStore();
    const { s, out } = session({ store });
    s.start(0);
    s.publish(named('a', 1), 0);
    s.publish(named('b', 2), 0);
    out.take();
    calls.length = 0;
    s.end(0);
    expect(calls).toEqual(['deleteQueued(1)', 'deleteQueued(2)']);
    expect(out.take().filter((e) => e.type === 'reject').map((e) => e.type === 'reject' && e.error)).toEqual([
      expect.any(MqttClosedError),
      expect.any(MqttClosedError),
    ]);
    expect(store.load().queued).toEqual([]);
  });

  describe('restored by a new session from the store', () => {
    /** A store as a killed process left it: two flows in flight (one past PUBREC), three queued. */
    function leftBehind(): SessionStore {
      const store = memoryStore();
      store.putOutgoing({ ...queuedPacket('in-flight-7'), messageId: 7 });
      store.putOutgoing({ ...queuedPacket('in-flight-8', 2), messageId: 8 });
      store.releaseOutgoing(8);
      store.putQueued(4, queuedPacket('q4'));
      store.putQueued(5, queuedPacket('q5', 2));
      store.putQueued(9, queuedPacket('q9'));
      return store;
    }

    it('sends them after the in-flight resends, in their order, before what the application queued since', () => {
      const store = leftBehind();
      const { s, out } = session({ store, clean: false });
      s.start(0);
      s.publish(named('new', 1), 0);
      s.opened(0);
      out.take();
      s.received(connack(true), 0);
      const effects = out.take();
      expect(texts(effects)).toEqual(['in-flight-7+dup', 'q4', 'q5', 'q9', 'new']);
      expect(cmds(effects.flatMap((e) => (e.type === 'send' ? [e.packet] : [])))).toEqual([
        'publish:7',
        'pubrel:8',
        'publish:1',
        'publish:2',
        'publish:3',
        'publish:4',
      ]);
      // The new publish was queued behind them with the next queue number, past the stored ones.
      expect(store.load().queued).toEqual([]);
      // Restored messages have no subscriber: their acknowledgements settle nothing.
      for (const messageId of [7, 1, 3]) s.received({ cmd: 'puback', messageId }, 0);
      s.received({ cmd: 'pubrec', messageId: 2 }, 0);
      s.received({ cmd: 'pubcomp', messageId: 2 }, 0);
      s.received({ cmd: 'pubcomp', messageId: 8 }, 0);
      expect(out.take().filter((e) => e.type === 'settle' || e.type === 'reject')).toEqual([]);
      s.received({ cmd: 'puback', messageId: 4 }, 0);
      expect(out.take()).toContainEqual({ type: 'settle', request: 'new', result: { packetId: 4, reasonCode: 0 } });
      expect(store.load()).toEqual({ outgoing: [], incoming: [], queued: [] });
    });

    it('queue numbers go on after the largest stored one', () => {
      const { store, calls } = spyStore(leftBehind());
      const { s } = session({ store, clean: false });
      s.start(0);
      s.publish(named('new'), 0);
      expect(calls).toEqual(['load()', 'putQueued(10)']);
    });

    it('respect the window: the restored flows count against it, queued ones wait their turn', () => {
      const store = leftBehind();
      const { s, out } = session({ store, clean: false, maxInflight: 3 });
      s.start(0);
      s.opened(0);
      out.take();
      s.received(connack(true), 0);
      expect(texts(out.take())).toEqual(['in-flight-7+dup', 'q4']);
      s.received({ cmd: 'puback', messageId: 7 }, 0);
      expect(texts(out.take())).toEqual(['q5']);
      expect(store.load().queued.map((q) => q.seq)).toEqual([9]);
    });

    it('stay in the store when the client is ended before sending them (nobody was told they failed)', () => {
      const store = leftBehind();
      const { s, out } = session({ store, clean: false });
      s.start(0);
      s.publish(named('mine'), 0);
      s.end(0);
      expect(out.take().filter((e) => e.type === 'reject').map((e) => e.type === 'reject' && e.request)).toEqual(['mine']);
      expect(store.load().queued.map((q) => q.seq)).toEqual([4, 5, 9]);
    });
  });
});

describe('Session: store failures never escape input handling', () => {
  it('putQueued fails: the publish fails with MqttStoreError (cause kept), is not queued and never sent', () => {
    const { store, failing } = spyStore();
    const { s, out } = session({ store });
    s.start(0);
    failing.add('putQueued');
    expect(() => s.publish(named('a'), 0)).not.toThrow();
    const [rejected] = out.take().filter((e) => e.type === 'reject');
    expect(rejected).toMatchObject({ request: 'a' });
    const error = rejected?.type === 'reject' ? rejected.error : undefined;
    expect(error).toBeInstanceOf(MqttStoreError);
    expect(error).toMatchObject({ operation: 'putQueued', cause: expect.objectContaining({ code: 'ENOSPC' }) });
    failing.clear();
    s.opened(0);
    s.received(connack(), 0);
    expect(texts(out.take())).toEqual([]);
    s.publish(named('b'), 0);
    expect(texts(out.take())).toEqual(['b']);
  });

  it('putOutgoing fails on a direct send: the publish fails and is not sent; its packet identifier is used next', () => {
    const { store, failing } = spyStore();
    const { s, out } = session({ store });
    connected(s, out);
    failing.add('putOutgoing');
    s.publish(named('a'), 0);
    const effects = out.take();
    expect(texts(effects)).toEqual([]);
    expect(effects).toEqual([{ type: 'reject', request: 'a', error: expect.any(MqttStoreError) }]);
    failing.clear();
    s.publish(named('b'), 0);
    expect(cmds(out.sent())).toEqual(['publish:1']);
  });

  it('putOutgoing fails as messages leave the queue: each fails, none is sent, each leaves the stored queue', () => {
    const { store, failing } = spyStore();
    const { s, out } = session({ store });
    s.start(0);
    s.publish(named('a'), 0);
    s.publish(named('b'), 0);
    s.opened(0);
    out.take();
    failing.add('putOutgoing');
    s.received(connack(), 0);
    failing.clear();
    const effects = out.take();
    expect(effects.filter((e) => e.type === 'reject')).toEqual([
      { type: 'reject', request: 'a', error: expect.any(MqttStoreError) },
      { type: 'reject', request: 'b', error: expect.any(MqttStoreError) },
    ]);
    expect(texts(effects)).toEqual([]);
    expect(store.load().queued).toEqual([]);
  });

  it('putOutgoing fails for a restored queued message: reported, not sent, kept in the store for a later process', () => {
    const inner = memoryStore();
    inner.putQueued(1, queuedPacket('old'));
    const { store, failing } = spyStore(inner);
    const { s, out } = session({ store, clean: false });
    s.start(0);
    s.opened(0);
    out.take();
    failing.add('putOutgoing');
    s.received(connack(), 0);
    const effects = out.take();
    expect(texts(effects)).toEqual([]);
    expect(effects).toContainEqual({ type: 'storeError', error: expect.objectContaining({ operation: 'putOutgoing' }) });
    expect(inner.load().queued.map((q) => q.seq)).toEqual([1]);
  });

  it('bookkeeping calls that fail are reported as storeError; the flows complete from memory', () => {
    const { store, failing } = spyStore();
    const { s, out } = session({ store });
    connected(s, out);
    for (const name of ['deleteOutgoing', 'releaseOutgoing', 'putIncoming', 'deleteIncoming'] as const) failing.add(name);
    s.publish(named('one', 1), 0);
    s.publish(named('two', 2), 0);
    out.take();
    expect(() => {
      s.received({ cmd: 'puback', messageId: 1 }, 0);
      s.received({ cmd: 'pubrec', messageId: 2 }, 0);
      s.received({ cmd: 'pubcomp', messageId: 2 }, 0);
      s.received(incoming('in', 2, 30), 0);
      s.received({ cmd: 'pubrel', messageId: 30 }, 0);
    }).not.toThrow();
    const effects = out.take();
    expect(effects.flatMap((e) => (e.type === 'storeError' ? [e.error.operation] : []))).toEqual([
      'deleteOutgoing',
      'releaseOutgoing',
      'deleteOutgoing',
      'putIncoming',
      'deleteIncoming',
    ]);
    expect(effects.filter((e) => e.type === 'settle').map((e) => e.type === 'settle' && e.request)).toEqual(['one', 'two']);
    expect(cmds(effects.flatMap((e) => (e.type === 'send' ? [e.packet] : [])))).toEqual(['pubrel:2', 'pubrec:30', 'pubcomp:30']);
    // The inbound QoS 2 message was delivered once; a resend before PUBREL would be acknowledged, not delivered.
    expect(effects.filter((e) => e.type === 'message')).toHaveLength(1);
  });

  it('deleteQueued fails on cancel and on end(): reported, the publish still leaves the queue', () => {
    const { store, failing } = spyStore();
    const { s, out } = session({ store });
    s.start(0);
    const a = named('a');
    s.publish(a, 0);
    s.publish(named('b'), 0);
    out.take();
    failing.add('deleteQueued');
    s.cancel(a);
    s.end(0);
    const effects = out.take();
    expect(effects.flatMap((e) => (e.type === 'storeError' ? [e.error.operation] : []))).toEqual(['deleteQueued', 'deleteQueued']);
    expect(effects).toContainEqual({ type: 'reject', request: 'b', error: expect.any(MqttClosedError) });
  });

  it('a store that cannot load fails the construction with MqttStoreError', () => {
    const { store, failing } = spyStore();
    failing.add('load');
    expect(() => session({ store })).toThrow(MqttStoreError);
  });
});

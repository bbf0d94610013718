import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { MqttError } from '../../src/packets/errors.js';
import type { Packet } from '../../src/packets/packet.js';
import { MqttStoreError } from '../../src/protocol/errors.js';
import type { PublishResult } from '../../src/protocol/publish-request.js';
import { memoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';
import { watchedStore } from '../support/watched-store.js';

interface Setup {
  broker: ScriptedBroker;
  client: MqttClient;
  scheduler: TestScheduler;
  received: Packet[];
  errors: MqttError[];
  errorsDone: () => boolean;
}

function setup(options: ClientOptions): Setup {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const broker = scriptedBroker({ scheduler });
  const received: Packet[] = [];
  broker.received$.subscribe((packet: Packet) => received.push(packet));
  const client = connect('mqtt://broker', { transport: broker.transport, scheduler, ...options });
  const errors: MqttError[] = [];
  let done = false;
  client.errors$.subscribe({ next: (error) => errors.push(error), complete: () => (done = true) });
  scheduler.flush();
  return { broker, client, scheduler, received, errors, errorsDone: () => done };
}

/** A memory store whose `failing` calls throw an ENOSPC-like error. */
function failingStore(failing: ReadonlySet<keyof SessionStore>, inner = memoryStore()): SessionStore {
  return watchedStore((name) => {
    if (failing.has(name)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  }, inner);
}

const publishes = (packets: readonly Packet[]): string[] =>
  packets.flatMap((p) => (p.cmd === 'publish' ? [new TextDecoder().decode(p.payload)] : []));

describe('the client and its session store (scripted broker)', () => {
  it('a failed bookkeeping write is reported on errors$; the publish still completes; errors$ completes on close', () => {
    const t = setup({ store: failingStore(new Set(['deleteOutgoing', 'releaseOutgoing'])) });
    const results: PublishResult[] = [];
    t.client.publish('a/b', 'one', { qos: 1 }).subscribe((r) => results.push(r));
    t.client.publish('a/b', 'two', { qos: 2 }).subscribe((r) => results.push(r));
    t.scheduler.flush();
    expect(results.map((r) => r.packetId)).toEqual([1, 2]);
    expect(t.errors.map((e) => [e.constructor, (e as MqttStoreError).operation])).toEqual([
      [MqttStoreError, 'deleteOutgoing'],
      [MqttStoreError, 'releaseOutgoing'],
      [MqttStoreError, 'deleteOutgoing'],
    ]);
    expect(t.errors[0]?.cause).toMatchObject({ code: 'ENOSPC' });
    t.client.end().subscribe();
    t.scheduler.flush();
    expect(t.errorsDone()).toBe(true);
  });

  it('a publish that cannot be stored fails with MqttStoreError and never reaches the broker', () => {
    const t = setup({ store: failingStore(new Set(['putOutgoing'])) });
    let failure: unknown;
    t.client.publish('a/b', 'lost?', { qos: 1 }).subscribe({ error: (error: unknown) => (failure = error) });
    t.client.publish('a/b', 'qos0', { qos: 0 }).subscribe();
    t.scheduler.flush();
    expect(failure).toBeInstanceOf(MqttStoreError);
    expect(publishes(t.received)).toEqual(['qos0']);
    t.client.end({ force: true }).subscribe();
    t.scheduler.flush();
  });

  it('sends what an earlier client left queued in the store, with nobody to settle, before its own publishes', () => {
    const store = memoryStore();
    for (const [seq, text] of [[3, 'left-1'], [4, 'left-2']] as const) {
      store.putQueued(seq, { cmd: 'publish', topic: 'a/b', payload: new TextEncoder().encode(text), qos: 1, dup: false, retain: false });
    }
    const t = setup({ store, clean: false, clientId: 'same' });
    const results: PublishResult[] = [];
    t.client.publish('a/b', 'mine', { qos: 1 }).subscribe((r) => results.push(r));
    t.scheduler.flush();
    expect(publishes(t.received)).toEqual(['left-1', 'left-2', 'mine']);
    expect(results).toEqual([{ packetId: 3, reasonCode: 0 }]);
    expect(store.load()).toEqual({ outgoing: [], incoming: [], queued: [] });
    t.client.end().subscribe();
    t.scheduler.flush();
  });
});

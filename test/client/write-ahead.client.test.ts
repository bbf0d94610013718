// Write-ahead (SessionStore.whenWritten): with a store that writes behind, no packet
// reaches the broker before the store has written the changes made ahead of it.
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { MqttError } from '../../src/packets/errors.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';
import type { Packet } from '../../src/packets/packet.js';
import { MqttStoreError } from '../../src/protocol/errors.js';
import type { PublishResult } from '../../src/protocol/publish-request.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { scriptedBroker, type ScriptedBroker } from '../../src/testing/index.js';
import { watchedStore } from '../support/watched-store.js';

/** A memory store that writes behind: each change is pending until `flush()`. */
interface WriteBehindStore extends SessionStore {
  /** Writes every pending change: the `whenWritten` callbacks run. */
  flush(): void;
  /** The changes made since the last `flush()`, by name. */
  readonly pending: string[];
}

function writeBehindStore(): WriteBehindStore {
  const pending: string[] = [];
  let waiting: Array<() => void> = [];
  return {
    ...watchedStore((name) => pending.push(name)),
    pending,
    flush() {
      pending.length = 0;
      const callbacks = waiting;
      waiting = [];
      for (const written of callbacks) written();
    },
    whenWritten(written) {
      if (pending.length === 0) return false;
      waiting.push(written);
      return true;
    },
  };
}

interface Setup {
  broker: ScriptedBroker;
  client: MqttClient;
  scheduler: TestScheduler;
  store: WriteBehindStore;
  /** What the broker received, as `cmd` or `cmd:text` for a PUBLISH (`+dup` when DUP is set). */
  received: string[];
  errors: MqttError[];
}

function setup(store: SessionStore & Partial<WriteBehindStore> = writeBehindStore()): Setup {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const broker = scriptedBroker({ scheduler });
  const received: string[] = [];
  broker.received$.subscribe((packet: Packet) => received.push(label(packet)));
  const client = connect('mqtt://broker', {
    transport: broker.transport,
    scheduler,
    store,
    clientId: 'write-ahead',
    clean: false,
    reconnect: { initialDelay: 100, jitter: 0 },
  });
  const errors: MqttError[] = [];
  client.errors$.subscribe((error) => errors.push(error));
  scheduler.flush();
  // The CONNACK of a new session cleared the inbound identifiers: a change to write.
  store.flush?.();
  return { broker, client, scheduler, store: store as WriteBehindStore, received, errors };
}

function label(packet: Packet): string {
  if (packet.cmd !== 'publish') return packet.cmd;
  return `publish:${new TextDecoder().decode(packet.payload)}${packet.dup ? '+dup' : ''}`;
}

/** Lets every write and every reply through, then ends the client. */
function end(t: Setup): void {
  settle(t);
  t.client.end().subscribe();
  settle(t);
}

function settle(t: Setup): void {
  for (let i = 0; i < 10; i++) {
    t.store.flush?.();
    t.scheduler.flush();
  }
}

describe('write-ahead: the client and a store that writes behind (scripted broker)', () => {
  it('a QoS 1 PUBLISH reaches the broker only once its record is written; QoS 2 PUBREL waits for releaseOutgoing', () => {
    const t = setup();
    expect(t.received).toEqual(['connect']);
    const results: PublishResult[] = [];
    t.client.publish('a/b', 'one', { qos: 1 }).subscribe((r) => results.push(r));
    t.scheduler.flush();
    expect(t.store.pending).toEqual(['putOutgoing']);
    expect(t.received).toEqual(['connect']);
    t.store.flush();
    t.scheduler.flush();
    expect(t.received).toEqual(['connect', 'publish:one']);
    expect(results.map((r) => r.packetId)).toEqual([1]);

    t.client.publish('a/b', 'two', { qos: 2 }).subscribe((r) => results.push(r));
    t.store.flush(); // deleteOutgoing of 'one', putOutgoing of 'two'
    t.scheduler.flush(); // PUBREC arrives: releaseOutgoing, PUBREL held
    expect(t.store.pending).toEqual(['releaseOutgoing']);
    expect(t.received).toEqual(['connect', 'publish:one', 'publish:two']);
    t.store.flush();
    t.scheduler.flush();
    expect(t.received).toEqual(['connect', 'publish:one', 'publish:two', 'pubrel']);
    expect(results.map((r) => r.packetId)).toEqual([1, 2]);
    expect(t.errors).toEqual([]);
    end(t);
  });

  it('keeps the order: a QoS 0 publish made after a held QoS 1 PUBLISH is sent after it', () => {
    const t = setup();
    t.client.publish('a/b', 'stored', { qos: 1 }).subscribe();
    t.client.publish('a/b', 'after', { qos: 0 }).subscribe();
    t.scheduler.flush();
    expect(t.received).toEqual(['connect']);
    t.store.flush();
    expect(t.received).toEqual(['connect', 'publish:stored', 'publish:after']);
    end(t);
  });

  it('an inbound QoS 2 message: PUBREC waits for putIncoming, PUBCOMP for deleteIncoming', () => {
    const t = setup();
    const messages: MqttMessage[] = [];
    t.client.topic('in/#', { qos: 2 }).subscribe((m) => messages.push(m));
    t.scheduler.flush();
    expect(t.received).toEqual(['connect', 'subscribe']);
    t.broker.publish('in/x', 'hello', { qos: 2 }).subscribe();
    t.scheduler.flush();
    expect(messages.map((m) => m.topic)).toEqual(['in/x']);
    expect(t.store.pending).toEqual(['putIncoming']);
    expect(t.received).toEqual(['connect', 'subscribe']);
    t.store.flush();
    t.scheduler.flush(); // PUBREC out, PUBREL in: deleteIncoming, PUBCOMP held
    expect(t.received).toEqual(['connect', 'subscribe', 'pubrec']);
    expect(t.store.pending).toEqual(['deleteIncoming']);
    t.store.flush();
    expect(t.received).toEqual(['connect', 'subscribe', 'pubrec', 'pubcomp']);
    end(t);
  });

  it('a PUBLISH held when the connection drops is not sent on the next one twice: the resend (DUP) goes once', () => {
    const t = setup();
    t.client.publish('a/b', 'held', { qos: 1 }).subscribe();
    t.scheduler.flush();
    expect(t.received).toEqual(['connect']);
    t.broker.drop();
    t.store.flush(); // written after the connection is gone: the held copy goes to the dead connection, which drops it
    t.scheduler.flush(); // reconnects after 100 ms; the session resends from its state
    t.store.flush();
    t.scheduler.flush();
    expect(t.received.filter((r) => r.startsWith('publish'))).toEqual(['publish:held+dup']);
    expect(t.received.filter((r) => r === 'connect')).toHaveLength(2);
    end(t);
  });

  it('end({ force: true }) with packets held: they and the DISCONNECT go once written, then the connection closes (no will)', () => {
    const t = setup();
    const commands: string[] = [];
    t.broker.commands$.subscribe((c) => commands.push(c));
    let failure: unknown;
    t.client.publish('a/b', 'last', { qos: 1 }).subscribe({ error: (e: unknown) => (failure = e) });
    t.client.end({ force: true }).subscribe();
    t.scheduler.flush();
    expect(commands).toEqual(['connect']); // nothing sent, the connection still open
    expect(t.broker.connected).toBe(true);
    t.store.flush();
    t.scheduler.flush();
    expect(commands).toEqual(['connect', 'publish', 'disconnect', 'closed']);
    expect(failure).toBeDefined(); // force: the flow was given up (it stays in the store)
  });

  it('a whenWritten that throws goes to errors$ as MqttStoreError (operation "whenWritten"); the packet is sent', () => {
    const store: SessionStore = {
      ...watchedStore(() => undefined),
      whenWritten: () => {
        throw new Error('the store is closed');
      },
    };
    const t = setup(store);
    const results: PublishResult[] = [];
    t.client.publish('a/b', 'sent anyway', { qos: 1 }).subscribe((r) => results.push(r));
    t.scheduler.flush();
    expect(t.received).toContain('publish:sent anyway');
    expect(results).toHaveLength(1);
    expect(t.errors.length).toBeGreaterThan(0);
    expect(t.errors.every((e) => e instanceof MqttStoreError && e.operation === 'whenWritten')).toBe(true);
    expect(t.errors[0]?.message).toBe('the session store failed (whenWritten): the store is closed');
    end(t);
  });
});

// The page of the reload suite (reload.test.ts, indexed-db-store.test.ts), bundled by
// page-server.ts and loaded from reload.html. It always puts the store API on
// window.rxMqttStoreKit. With `?broker=` it is also a publisher that survives reloads:
//   broker, clientId, topic, db   where to publish, as whom, and the IndexedDB name
//   total                         publishes "0" … "total-1" (even at QoS 1, odd at QoS 2)
//   maxInflight                   the client's window (what is sent and stored, unacknowledged)
//   window                        publishes the page keeps outstanding (the rest wait in the
//                                 client's queue, stored too: the client sends them after a
//                                 reload, and the page does not publish them again)
// Each load opens the store, shows what it holds (#restored), connects with clean: false
// and the store (the client resends what the store holds), and goes on past the highest
// number the store holds or the broker acknowledged (kept in localStorage, set when a
// publish completes); the load count is in sessionStorage.
import { firstValueFrom } from 'rxjs';
import {
  connect,
  memoryStore,
  openIndexedDbStore,
  type IndexedDbStore,
  type PublishPacket,
  type SessionStore,
  type StoredSession,
} from '../../src/index.browser.js';
import type { ReloadPageApi, SessionSummary, StoreKit, StoreOp } from './reload-page-api.js';

const text = new TextDecoder();

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`reload.html has no #${id}`);
  return found;
}

function showError(error: unknown): void {
  element('errors').textContent += `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`;
}

function summary(session: StoredSession): SessionSummary {
  return {
    outgoing: session.outgoing.map(({ packet, released }) => ({
      id: packet.messageId ?? 0,
      topic: packet.topic,
      text: text.decode(packet.payload),
      qos: packet.qos,
      dup: packet.dup,
      released,
    })),
    // A set: its order means nothing (IndexedDB gives the keys sorted).
    incoming: [...session.incoming].sort((a, b) => a - b),
    queued: session.queued.map(({ seq, packet }) => ({
      seq,
      topic: packet.topic,
      text: text.decode(packet.payload),
      qos: packet.qos,
      hasId: packet.messageId !== undefined,
    })),
  };
}

function apply(store: SessionStore, ops: readonly StoreOp[]): void {
  for (const op of ops) {
    switch (op.op) {
      case 'put':
        store.putOutgoing({
          cmd: 'publish',
          topic: 't',
          payload: new TextEncoder().encode(op.text),
          qos: op.qos,
          dup: op.dup,
          retain: false,
          messageId: op.id,
        });
        break;
      case 'release':
        store.releaseOutgoing(op.id);
        break;
      case 'delete':
        store.deleteOutgoing(op.id);
        break;
      case 'putIn':
        store.putIncoming(op.id);
        break;
      case 'delIn':
        store.deleteIncoming(op.id);
        break;
      case 'clearIn':
        store.clearIncoming();
        break;
      case 'queue':
        store.putQueued(op.seq, { cmd: 'publish', topic: 'q', payload: new TextEncoder().encode(op.text), qos: op.qos, dup: false, retain: false });
        break;
      case 'send':
        store.putOutgoing(
          { cmd: 'publish', topic: 'q', payload: new TextEncoder().encode(op.text), qos: op.qos, dup: false, retain: false, messageId: op.id },
          op.seq,
        );
        break;
      case 'unqueue':
        store.deleteQueued(op.seq);
        break;
    }
  }
}

const kit: StoreKit = {
  openIndexedDbStore,
  apply,
  open: (name, options) => firstValueFrom(openIndexedDbStore(name, options)),
  memoryStore,
  summary,
  deleteDatabase: (name) =>
    new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      const blocked = setTimeout(() => reject(new Error(`deleting ${name} is blocked`)), 5000);
      request.onsuccess = () => {
        clearTimeout(blocked);
        resolve();
      };
      request.onerror = () => {
        clearTimeout(blocked);
        reject(request.error ?? new Error(`cannot delete ${name}`));
      };
    }),
};
window.rxMqttStoreKit = kit;

const params = new URLSearchParams(location.search);
const broker = params.get('broker');
if (broker !== null) {
  openIndexedDbStore(params.get('db') ?? 'rx-mqtt-reload').subscribe({
    next: (store) => publish(broker, store),
    error: showError,
  });
}

/** The publisher: resumes the stream from where the earlier loads of this tab left it. */
function publish(url: string, idb: IndexedDbStore): void {
  const clientId = params.get('clientId') ?? 'rxmqtt-reload';
  const topic = params.get('topic') ?? 'reload/stream';
  const total = Number(params.get('total') ?? '100');
  const limit = Number(params.get('window') ?? '8');
  const hwKey = `${params.get('db') ?? 'rx-mqtt-reload'}:stored`;
  const numberOf = (packet: PublishPacket): number => Number(text.decode(packet.payload));

  const run = Number(sessionStorage.getItem('run') ?? '0') + 1;
  sessionStorage.setItem('run', String(run));
  element('run').dataset.run = String(run);
  element('run').textContent = String(run);

  // What the earlier load left: resent by the client from the store, not published again.
  const restored = idb.load();
  const numbers = restored.outgoing.map((flow) => numberOf(flow.packet));
  const shown = element('restored');
  shown.dataset.count = String(numbers.length);
  shown.dataset.released = String(restored.outgoing.filter((flow) => flow.released).length);
  shown.dataset.numbers = numbers.join(',');
  shown.dataset.inflightAtReload = sessionStorage.getItem('inflightAtReload') ?? '';
  shown.textContent = `the store held ${numbers.length} unacknowledged messages: ${numbers.join(', ')}`;
  idb.errors$.subscribe(showError);

  // Where to go on: past every message the store holds (the client resends those) and every
  // message the broker acknowledged. Not past a message only handed to publish(): its store
  // write commits at the end of its task, and a reload in that task (reload 2) aborts it, so
  // the client never had it durably (nor sent it: packets wait for the store's writes) —
  // this page publishes it again.
  const queued = restored.queued.map((entry) => numberOf(entry.packet));
  let next = Math.max(Number(localStorage.getItem(hwKey) ?? '-1'), ...numbers, ...queued) + 1;
  let reloadAt = Number.POSITIVE_INFINITY;
  let ackedHigh = Number(localStorage.getItem(hwKey) ?? '-1');
  const acknowledged = (n: number): void => {
    if (n > ackedHigh) {
      ackedHigh = n;
      localStorage.setItem(hwKey, String(n));
    }
  };
  const store: SessionStore = {
    load: () => idb.load(),
    putQueued: (seq, packet) => idb.putQueued(seq, packet),
    deleteQueued: (seq) => idb.deleteQueued(seq),
    putOutgoing(packet, seq) {
      idb.putOutgoing(packet, seq);
      if (numberOf(packet) === reloadAt) {
        sessionStorage.setItem('inflightAtReload', String(idb.load().outgoing.length));
        location.reload();
      }
    },
    releaseOutgoing: (id) => idb.releaseOutgoing(id),
    deleteOutgoing: (id) => idb.deleteOutgoing(id),
    putIncoming: (id) => idb.putIncoming(id),
    deleteIncoming: (id) => idb.deleteIncoming(id),
    clearIncoming: () => idb.clearIncoming(),
    whenWritten: (written) => idb.whenWritten(written),
  };
  const api: ReloadPageApi = {
    stored: () => summary(idb.load()),
    reloadWhenStored: (n) => {
      reloadAt = n;
    },
  };
  window.rxMqttReload = api;

  const client = connect(url, {
    clientId,
    clean: false,
    protocolVersion: 4,
    store,
    maxInflight: Number(params.get('maxInflight') ?? '3'),
    keepalive: 30,
    connectTimeout: 20_000,
    reconnect: { initialDelay: 100, maxDelay: 500 },
  });
  // aedes 1.2 answers sessionPresent only for a client with subscriptions (it keeps the
  // publisher's QoS 2 state either way): one subscription makes the session visible.
  client.topic(`${topic}/keep-session`).subscribe({ error: showError });

  let outstanding = 0;
  let acked = 0;
  let started = false;
  const progress = element('progress');
  const showProgress = (): void => {
    progress.dataset.acked = String(acked);
    progress.dataset.next = String(next);
    progress.textContent = `${acked} acknowledged in this load, next ${next} of ${total}`;
  };
  const pump = (): void => {
    while (outstanding < limit && next < total) {
      const n = next++;
      outstanding++;
      client.publish(topic, String(n), { qos: n % 2 === 0 ? 1 : 2 }).subscribe({
        next: () => {
          acked++;
          acknowledged(n);
        },
        error: showError,
        complete: () => {
          outstanding--;
          showProgress();
          pump();
        },
      });
    }
    showProgress();
    // Without force, end() waits for the flows resent from the store as well.
    if (next >= total && outstanding === 0) {
      client.end().subscribe({
        complete: () => {
          element('done').dataset.done = 'true';
          element('done').textContent = 'done';
        },
      });
    }
  };
  client.state$.subscribe((state) => {
    const session = element('session');
    session.dataset.status = state.status;
    if (state.status === 'connected') {
      session.dataset.present = String(state.sessionPresent);
      session.textContent = `connected, session present: ${state.sessionPresent}`;
      if (!started) {
        started = true;
        pump();
      }
    } else if (state.status === 'closed' && state.error !== undefined) {
      showError(state.error);
    }
  });
}

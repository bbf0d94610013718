// The page of bench/browser-store.ts, bundled by test/browser/page-server.ts and loaded
// from store.html: window.rxMqttStoreBench.run(spec) publishes a stream through one of
// three session stores and returns how long it took.
import { filter, firstValueFrom } from 'rxjs';
import {
  connect,
  memoryStore,
  openIndexedDbStore,
  type IndexedDbStore,
  type MqttClient,
  type SessionStore,
} from '../../src/index.browser.js';
import type { StoreBenchApi, StoreRunResult, StoreRunSpec } from './store-page-api.js';

/** The IndexedDB store behind a plain object that forwards every call but `whenWritten`: no write-ahead. */
function withoutWriteAhead(idb: IndexedDbStore): SessionStore {
  return {
    load: () => idb.load(),
    putQueued: (seq, packet) => idb.putQueued(seq, packet),
    deleteQueued: (seq) => idb.deleteQueued(seq),
    putOutgoing: (packet, seq) => idb.putOutgoing(packet, seq),
    releaseOutgoing: (id) => idb.releaseOutgoing(id),
    deleteOutgoing: (id) => idb.deleteOutgoing(id),
    putIncoming: (id) => idb.putIncoming(id),
    deleteIncoming: (id) => idb.deleteIncoming(id),
    clearIncoming: () => idb.clearIncoming(),
  };
}

/** Deletes a database once the connections to it are closed. */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`cannot delete ${name}`));
    // 'blocked' only says the closed connection still finishes its transactions: the
    // deletion goes on after them (bench/browser-store.ts times the run out otherwise).
  });
}

function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Publishes `spec.messages`, at most `spec.outstanding` at a time; resolves with the timings. */
function publishAll(client: MqttClient, spec: StoreRunSpec): Promise<StoreRunResult> {
  const payload = new Uint8Array(spec.size).fill(0x61);
  const options = { qos: spec.qos };
  const latencies = new Float64Array(spec.messages);
  return new Promise((resolve, reject) => {
    let next = 0;
    let completed = 0;
    let outstanding = 0;
    let failed = false;
    const start = performance.now();
    const pump = (): void => {
      while (!failed && outstanding < spec.outstanding && next < spec.messages) {
        const n = next++;
        outstanding++;
        const sent = performance.now();
        client.publish(spec.topic, payload, options).subscribe({
          error: (error: unknown) => {
            failed = true;
            reject(error);
          },
          complete: () => {
            latencies[n] = performance.now() - sent;
            outstanding--;
            completed++;
            if (completed === spec.messages) {
              resolve({ elapsedMs: performance.now() - start, latencyMedianMs: median(latencies) });
            } else {
              pump();
            }
          },
        });
      }
    };
    pump();
  });
}

async function run(spec: StoreRunSpec): Promise<StoreRunResult> {
  const idb = spec.store === 'memory' ? undefined : await firstValueFrom(openIndexedDbStore(spec.database));
  const store = idb === undefined ? memoryStore() : spec.store === 'indexeddb' ? idb : withoutWriteAhead(idb);
  const failures: Error[] = [];
  const errors = idb?.errors$.subscribe((error) => failures.push(error));
  const client = connect(spec.broker, {
    clientId: spec.clientId,
    clean: true,
    protocolVersion: 4,
    store,
    keepalive: 60,
    reconnect: false,
  });
  try {
    const state = await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected' || s.status === 'closed')));
    if (state.status === 'closed') throw state.error ?? new Error('closed while connecting');
    const result = await publishAll(client, spec);
    if (failures.length > 0) throw failures[0];
    return result;
  } finally {
    await new Promise<void>((resolve) => client.end().subscribe({ complete: resolve, error: () => resolve() }));
    errors?.unsubscribe();
    if (idb !== undefined) {
      idb.close();
      await deleteDatabase(spec.database);
    }
  }
}

const api: StoreBenchApi = { run };
window.rxMqttStoreBench = api;

// openIndexedDbStore against Chromium's real IndexedDB (there is none in Node, and no
// fake-indexeddb here): page code from reload-page.ts (window.rxMqttStoreKit) drives it.
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium } from './chromium-gate.js';
import { launchChromium } from './launch-chromium.js';
import type { SessionSummary, StoreOp } from './reload-page-api.js';
import { servePage, type PageServer } from './page-server.js';

/** Calls on a store over a few packet identifiers, so they collide. */
const ids = fc.constantFrom(1, 2, 3, 7, 65535);
const seqs = fc.constantFrom(0, 1, 2, 5, 2 ** 32 + 1);
const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('put' as const), id: ids, text: fc.string({ maxLength: 8 }), qos: fc.constantFrom(1 as const, 2 as const), dup: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), id: ids }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), id: ids }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('putIn' as const), id: ids }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delIn' as const), id: ids }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clearIn' as const) }) },
  // The offline queue, over a few queue numbers (one past 32 bits).
  { weight: 3, arbitrary: fc.record({ op: fc.constant('queue' as const), seq: seqs, text: fc.string({ maxLength: 8 }), qos: fc.constantFrom(1 as const, 2 as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('send' as const), seq: seqs, id: ids, text: fc.string({ maxLength: 8 }), qos: fc.constantFrom(1 as const, 2 as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unqueue' as const), seq: seqs }) },
);

describeWithChromium('openIndexedDbStore in headless Chromium (real IndexedDB)', () => {
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let db = 0;
  /** A database name no other test uses. */
  const fresh = (): string => `store-test-${++db}`;

  beforeAll(async () => {
    server = await servePage({ entry: 'reload-page.ts', html: 'reload.html' });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(server.url);
    await page.waitForFunction(() => window.rxMqttStoreKit !== undefined);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('emits one store with an empty session for a new database, then completes', async () => {
    const seen = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      return new Promise<{ emitted: number; completed: boolean; session: SessionSummary | undefined }>((resolve, reject) => {
        let emitted = 0;
        let session: SessionSummary | undefined;
        kit.openIndexedDbStore(name).subscribe({
          next: (store) => {
            emitted++;
            session = kit.summary(store.load());
            store.close();
          },
          error: reject,
          complete: () => resolve({ emitted, completed: true, session }),
        });
      });
    }, fresh());
    expect(seen).toEqual({ emitted: 1, completed: true, session: { outgoing: [], incoming: [], queued: [] } });
  });

  it('holds, after a reopen, the same session as memoryStore after the same calls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(storeOp, { maxLength: 40 }), async (ops) => {
        const result = await page.evaluate(
          async ([name, calls]) => {
            const kit = window.rxMqttStoreKit!;
            const model = kit.memoryStore();
            const store = await kit.open(name);
            kit.apply(model, calls);
            kit.apply(store, calls);
            const live = kit.summary(store.load());
            store.close();
            const reopened = await kit.open(name);
            const loaded = kit.summary(reopened.load());
            reopened.close();
            await kit.deleteDatabase(name);
            return { model: kit.summary(model.load()), live, loaded };
          },
          [fresh(), ops] as const,
        );
        expect(result.live).toEqual(result.model);
        expect(result.loaded).toEqual(result.model);
      }),
      { numRuns: 30 },
    );
  }, 60_000);

  it('loads outgoing flows in the order first sent, not by packet id; storing again keeps the place and clears released', async () => {
    const loaded = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      kit.apply(store, [
        { op: 'put', id: 9, text: 'a', qos: 2, dup: false },
        { op: 'put', id: 2, text: 'b', qos: 1, dup: false },
        { op: 'put', id: 5, text: 'c', qos: 2, dup: false },
        { op: 'release', id: 9 },
        { op: 'release', id: 5 },
        // Resent as new after a lost session: first phase again, same place.
        { op: 'put', id: 9, text: 'a', qos: 2, dup: false },
      ]);
      store.close();
      const reopened = await kit.open(name);
      const session = kit.summary(reopened.load());
      reopened.close();
      return session;
    }, fresh());
    expect(loaded.outgoing.map(({ id, released }) => [id, released])).toEqual([
      [9, false],
      [2, false],
      [5, true],
    ]);
  });

  it('keeps a PUBLISH whole: MQTT 5 properties, DUP, and a payload that is a view into a larger buffer', async () => {
    const result = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      const big = new Uint8Array(100_000).fill(0x41);
      big.set(new TextEncoder().encode('hello'), 5000);
      store.putOutgoing({
        cmd: 'publish',
        topic: 'a/b',
        payload: big.subarray(5000, 5005),
        qos: 2,
        dup: true,
        retain: true,
        messageId: 42,
        properties: {
          messageExpiryInterval: 60,
          contentType: 'text/plain',
          correlationData: new Uint8Array([1, 2, 3]),
          userProperties: { k: ['v1', 'v2'] },
        },
      });
      store.close();
      const reopened = await kit.open(name);
      const packet = reopened.load().outgoing[0]?.packet;
      reopened.close();
      return {
        text: packet === undefined ? undefined : new TextDecoder().decode(packet.payload),
        bufferBytes: packet?.payload.buffer.byteLength,
        retain: packet?.retain,
        dup: packet?.dup,
        properties: JSON.parse(
          JSON.stringify(packet?.properties, (_key, value: unknown) => (value instanceof Uint8Array ? [...value] : value)),
        ) as unknown,
      };
    }, fresh());
    expect(result).toEqual({
      text: 'hello',
      // The packet is stored encoded, not the 100 kB buffer its payload was a view of.
      bufferBytes: expect.any(Number),
      retain: true,
      dup: true,
      properties: { messageExpiryInterval: 60, contentType: 'text/plain', correlationData: [1, 2, 3], userProperties: { k: ['v1', 'v2'] } },
    });
    expect(result.bufferBytes).toBeLessThan(1000);
  });

  it('honours durability: strict writes are there after a reopen as well', async () => {
    const loaded = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name, { durability: 'strict' });
      kit.apply(store, [
        { op: 'put', id: 1, text: 'x', qos: 1, dup: false },
        { op: 'putIn', id: 4 },
      ]);
      store.close();
      const reopened = await kit.open(name);
      const session = kit.summary(reopened.load());
      reopened.close();
      return session;
    }, fresh());
    expect(loaded).toEqual({ outgoing: [{ id: 1, topic: 't', text: 'x', qos: 1, dup: false, released: false }], incoming: [4], queued: [] });
  });

  it('whenWritten: false with nothing pending; otherwise called, in order, once the changes made before it are committed', async () => {
    const seen = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      const idle = store.whenWritten(() => undefined);
      const events: string[] = [];
      let readBack: Promise<number> | undefined;
      kit.apply(store, [{ op: 'put', id: 1, text: 'one', qos: 1, dup: false }]);
      const first = store.whenWritten(() => {
        events.push('first');
        // A second connection sees the change once the callback runs.
        readBack = kit.open(name).then((other) => {
          const count = other.load().outgoing.length;
          other.close();
          return count;
        });
      });
      events.push('returned');
      await new Promise((resolve) => setTimeout(resolve, 0)); // the next task: another transaction
      kit.apply(store, [{ op: 'put', id: 2, text: 'two', qos: 1, dup: false }]);
      const done = new Promise<void>((resolve) => {
        store.whenWritten(() => {
          events.push('second');
          resolve();
        });
      });
      await done;
      const afterwards = store.whenWritten(() => events.push('never'));
      const seenByOther = await readBack;
      store.close();
      return { idle, first, events, afterwards, seenByOther };
    }, fresh());
    expect(seen).toMatchObject({ idle: false, first: true, events: ['returned', 'first', 'second'], afterwards: false });
    // At least the first change (the second may have committed too before the read).
    expect(seen.seenByOther).toBeGreaterThanOrEqual(1);
  });

  it('lets another connection delete the database, and reports the writes that fail after on errors$ without throwing', async () => {
    const result = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      const errors: string[] = [];
      store.errors$.subscribe((error) => errors.push(error.message));
      await kit.deleteDatabase(name); // blocked forever if the store kept its connection open
      kit.apply(store, [{ op: 'put', id: 1, text: 'after', qos: 1, dup: false }]);
      return { errors, mirror: kit.summary(store.load()).outgoing.length };
    }, fresh());
    expect(result.errors).toEqual([
      expect.stringMatching(/was deleted or upgraded by another connection/),
      expect.stringMatching(/^cannot write to the IndexedDB database "store-test-\d+": InvalidStateError/),
    ]);
    // The running session goes on from memory.
    expect(result.mirror).toBe(1);
  });

  it('closes the database when unsubscribed before it emits', async () => {
    await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      kit.openIndexedDbStore(name).subscribe().unsubscribe();
      await kit.deleteDatabase(name); // rejects after 5 s when a connection stays open
    }, fresh());
  });

  it('refuses a database that is not a session store, naming it, and leaves it as it was', async () => {
    const messages = await page.evaluate(async (names) => {
      const kit = window.rxMqttStoreKit!;
      const messages: string[] = [];
      for (const [name, version] of names) {
        await new Promise<void>((resolve, reject) => {
          const request = indexedDB.open(name, version);
          request.onupgradeneeded = () => request.result.createObjectStore('something-else');
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        });
        messages.push(
          await kit.open(name).then(
            () => 'opened',
            (error: Error) => error.message,
          ),
        );
        // Still the other program's database: its version and object stores untouched.
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        messages.push(`version ${db.version}: ${[...db.objectStoreNames].join(',')}`);
        db.close();
      }
      return messages;
    }, [[fresh(), 1], [fresh(), 2]] as Array<[string, number]>);
    expect(messages).toEqual([
      // Version 1 without our object stores: the upgrade to 2 is not ours to make.
      expect.stringMatching(/^the IndexedDB database "store-test-\d+" is not an rx-mqtt session store: version 1 without/),
      'version 1: something-else',
      expect.stringMatching(/^cannot read the IndexedDB database "store-test-\d+": NotFoundError/),
      'version 2: something-else',
    ]);
  });

  it('upgrades a version 1 database (no offline queue) and keeps what it held', async () => {
    const result = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      // What openIndexedDbStore wrote before schema 2: the PUBLISH of flow 3 is encoded as MQTT 5 bytes.
      const publish3 = Uint8Array.of(0x32, 0x0a, 0x00, 0x01, 0x74, 0x00, 0x03, 0x00, 0x6f, 0x6c, 0x64, 0x21); // QoS 1, "t", id 3, no properties, "old!"
      publish3[1] = publish3.length - 2;
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore('outgoing').put({ seq: 1, bytes: publish3 }, 3);
          db.createObjectStore('released');
          db.createObjectStore('incoming').put(true, 12);
        };
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      });
      const store = await kit.open(name);
      const before = kit.summary(store.load());
      kit.apply(store, [{ op: 'queue', seq: 1, text: 'waiting', qos: 2 }]);
      store.close();
      const reopened = await kit.open(name);
      const after = kit.summary(reopened.load());
      reopened.close();
      return { before, after };
    }, fresh());
    const old = { id: 3, topic: 't', text: 'old!', qos: 1, dup: false, released: false };
    expect(result.before).toEqual({ outgoing: [old], incoming: [12], queued: [] });
    expect(result.after).toEqual({
      outgoing: [old],
      incoming: [12],
      queued: [{ seq: 1, topic: 'q', text: 'waiting', qos: 2, hasId: false }],
    });
  });

  it('keeps queued publishes in queue order, without packet identifier; sending one moves it in one transaction', async () => {
    const loaded = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      kit.apply(store, [
        { op: 'queue', seq: 7, text: 'a', qos: 1 },
        { op: 'queue', seq: 2 ** 32 + 1, text: 'b', qos: 2 },
        { op: 'queue', seq: 9, text: 'c', qos: 1 },
        { op: 'send', seq: 7, id: 40, text: 'a', qos: 1 },
        { op: 'unqueue', seq: 9 },
      ]);
      store.close();
      const reopened = await kit.open(name);
      const session = kit.summary(reopened.load());
      reopened.close();
      return session;
    }, fresh());
    expect(loaded).toEqual({
      outgoing: [{ id: 40, topic: 'q', text: 'a', qos: 1, dup: false, released: false }],
      incoming: [],
      queued: [{ seq: 2 ** 32 + 1, topic: 'q', text: 'b', qos: 2, hasId: false }],
    });
  });

  it('throws on use after close()', async () => {
    const messages = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      store.close();
      store.close(); // idempotent
      const thrown: string[] = [];
      for (const call of [() => store.load(), () => store.deleteOutgoing(1)]) {
        try {
          call();
        } catch (error) {
          thrown.push((error as Error).message);
        }
      }
      return thrown;
    }, fresh());
    expect(messages).toEqual([expect.stringMatching(/is closed$/), expect.stringMatching(/is closed$/)]);
  });

  it('rejects a packet identifier outside 1..65535 (MQTT-2.3.1-1) before writing anything', async () => {
    const messages = await page.evaluate(async (name) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(name);
      const thrown: string[] = [];
      for (const id of [0, 65536, 1.5]) {
        try {
          store.putIncoming(id);
        } catch (error) {
          thrown.push((error as Error).name);
        }
      }
      const incoming = store.load().incoming.length;
      store.close();
      return { thrown, incoming };
    }, fresh());
    expect(messages).toEqual({ thrown: ['RangeError', 'RangeError', 'RangeError'], incoming: 0 });
  });

  it('commits every change made in the task that calls location.reload()', async () => {
    const name = fresh();
    const ops = fc.sample(fc.array(storeOp, { minLength: 300, maxLength: 300 }), { numRuns: 1, seed: 17 })[0] ?? [];
    const reloaded = page.waitForEvent('load');
    const expected = await page.evaluate(
      async ([dbName, calls]) => {
        const kit = window.rxMqttStoreKit!;
        const model = kit.memoryStore();
        kit.apply(model, calls);
        const store = await kit.open(dbName);
        // A later task, so that evaluate() has returned before the page goes away.
        setTimeout(() => {
          kit.apply(store, calls);
          location.reload();
        }, 0);
        return kit.summary(model.load());
      },
      [name, ops] as const,
    );
    await reloaded;
    await page.waitForFunction(() => window.rxMqttStoreKit !== undefined);
    const loaded = await page.evaluate(async (dbName) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(dbName);
      const session = kit.summary(store.load());
      store.close();
      return session;
    }, name);
    expect(loaded).toEqual(expected);
  }, 30_000);

  it('commits every change made right before its tab is closed', async () => {
    const name = fresh();
    const ops = fc.sample(fc.array(storeOp, { minLength: 300, maxLength: 300 }), { numRuns: 1, seed: 29 })[0] ?? [];
    const tab = await page.context().newPage();
    await tab.goto(page.url());
    await tab.waitForFunction(() => window.rxMqttStoreKit !== undefined);
    const expected = await tab.evaluate(
      async ([dbName, calls]) => {
        const kit = window.rxMqttStoreKit!;
        const model = kit.memoryStore();
        kit.apply(model, calls);
        const store = await kit.open(dbName);
        kit.apply(store, calls);
        return kit.summary(model.load());
      },
      [name, ops] as const,
    );
    await tab.close();
    const loaded = await page.evaluate(async (dbName) => {
      const kit = window.rxMqttStoreKit!;
      const store = await kit.open(dbName);
      const session = kit.summary(store.load());
      store.close();
      return session;
    }, name);
    expect(loaded).toEqual(expected);
  }, 30_000);
});

import { firstValueFrom, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { memory, memoryPair, type MemoryDuplex } from '../../src/transport/memory.js';
import type { Duplex } from '../../src/transport/transport.js';

/** Everything an `incoming` stream did, in order. */
function record(duplex: Duplex): { log: string[]; subscription: Subscription } {
  const log: string[] = [];
  const subscription = duplex.incoming.subscribe({
    next: (bytes) => log.push(`next ${[...bytes].join(',')}`),
    error: (err: unknown) => log.push(`error ${(err as Error).message}`),
    complete: () => log.push('complete'),
  });
  return { log, subscription };
}

describe('memoryPair', () => {
  it('delivers synchronously, the same Uint8Array, both ways', () => {
    const { client, server } = memoryPair();
    const got: Uint8Array[] = [];
    server.incoming.subscribe((bytes) => got.push(bytes));
    const bytes = Uint8Array.of(1, 2, 3);
    client.send(bytes);
    expect(got).toEqual([bytes]);
    expect(got[0]).toBe(bytes);

    const back = record(client);
    server.send(Uint8Array.of(9));
    expect(back.log).toEqual(['next 9']);
  });

  it('buffers bytes sent before the other end subscribes and flushes them on subscribe', () => {
    const { client, server } = memoryPair();
    client.send(Uint8Array.of(1));
    client.send(Uint8Array.of(2));
    const { log } = record(server);
    expect(log).toEqual(['next 1', 'next 2']);
    client.send(Uint8Array.of(3));
    expect(log).toEqual(['next 1', 'next 2', 'next 3']);
  });

  it('hands buffered bytes to the first subscriber only, and new bytes to all', () => {
    const { client, server } = memoryPair();
    client.send(Uint8Array.of(1));
    const first = record(server);
    const second = record(server);
    client.send(Uint8Array.of(2));
    expect(first.log).toEqual(['next 1', 'next 2']);
    expect(second.log).toEqual(['next 2']);
  });

  it('is never re-entrant: a reply sent inside a handler arrives after that handler returns', () => {
    const { client, server } = memoryPair();
    const events: string[] = [];
    server.incoming.subscribe((bytes) => {
      events.push(`server got ${bytes[0]}`);
      server.send(Uint8Array.of(bytes[0]! + 100));
      events.push(`server handler done ${bytes[0]}`);
    });
    client.incoming.subscribe((bytes) => {
      events.push(`client got ${bytes[0]}`);
      if (bytes[0] === 101) client.send(Uint8Array.of(2));
      events.push(`client handler done ${bytes[0]}`);
    });
    client.send(Uint8Array.of(1));
    events.push('send returned');
    expect(events).toEqual([
      'server got 1',
      'server handler done 1',
      'client got 101',
      'client handler done 101',
      'server got 2',
      'server handler done 2',
      'client got 102',
      'client handler done 102',
      'send returned',
    ]);
  });

  it.each(['client', 'server'] as const)('close() on the %s end completes both incoming streams, idempotently', (side) => {
    const pair = memoryPair();
    const c = record(pair.client);
    const s = record(pair.server);
    pair[side].close();
    pair[side].close();
    expect(c.log).toEqual(['complete']);
    expect(s.log).toEqual(['complete']);
    expect(pair.client.closed).toBe(true);
    expect(pair.server.closed).toBe(true);
  });

  it('delivers the bytes sent before close, then completes; a later send is ignored', () => {
    const { client, server } = memoryPair();
    client.send(Uint8Array.of(1));
    client.close();
    client.send(Uint8Array.of(2));
    const { log } = record(server);
    expect(log).toEqual(['next 1', 'complete']);
  });

  it('fail(error) on the server end errors the client incoming and completes the server one', () => {
    const { client, server } = memoryPair();
    const c = record(client);
    const s = record(server);
    server.send(Uint8Array.of(7));
    server.fail(new Error('ECONNRESET'));
    server.fail(new Error('again'));
    server.close();
    expect(c.log).toEqual(['next 7', 'error ECONNRESET']);
    expect(s.log).toEqual(['complete']);
  });

  it('a subscriber after the end gets the buffered bytes, then the end', () => {
    const { client, server } = memoryPair();
    server.send(Uint8Array.of(5));
    server.fail(new Error('gone'));
    expect(record(client).log).toEqual(['next 5', 'error gone']);
    expect(record(client).log).toEqual(['error gone']);
  });

  it('unsubscribing from incoming stops delivery without closing the pipe', () => {
    const { client, server } = memoryPair();
    const s = record(server);
    s.subscription.unsubscribe();
    client.send(Uint8Array.of(1));
    expect(s.log).toEqual([]);
    expect(client.closed).toBe(false);
    expect(record(server).log).toEqual(['next 1']);
  });

  it('works inside TestScheduler.run: delivery happens at the virtual time of the send', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const { client, server } = memoryPair();
      cold('-a 9ms (b|)', { a: Uint8Array.of(1), b: Uint8Array.of(2) }).subscribe({
        next: (bytes) => client.send(bytes),
        complete: () => client.close(),
      });
      expectObservable(server.incoming).toBe('-a 9ms (b|)', { a: Uint8Array.of(1), b: Uint8Array.of(2) });
    });
  });
});

describe('memory', () => {
  it('emits the client end at once and hands the server end and the URL to accept', () => {
    let accepted: { server: MemoryDuplex; url: URL } | undefined;
    const transport = memory((server, url) => {
      accepted = { server, url };
      server.send(Uint8Array.of(42)); // before the client reads: buffered
    });
    const duplexes: Duplex[] = [];
    transport(new URL('mqtt://test:1883')).subscribe((duplex) => duplexes.push(duplex));
    expect(duplexes).toHaveLength(1);
    expect(accepted?.url.href).toBe('mqtt://test:1883');
    expect(record(duplexes[0]!).log).toEqual(['next 42']);
  });

  it('unsubscribing from the Transport closes the pair', () => {
    let server: MemoryDuplex | undefined;
    const transport = memory((s) => {
      server = s;
    });
    const subscription = transport(new URL('mqtt://test')).subscribe();
    const s = record(server!);
    subscription.unsubscribe();
    expect(s.log).toEqual(['complete']);
    expect(server!.closed).toBe(true);
  });

  it('errors when accept throws (a refused connection)', async () => {
    const refusal = new Error('ECONNREFUSED');
    const transport = memory(() => {
      throw refusal;
    });
    await expect(firstValueFrom(transport(new URL('mqtt://test')))).rejects.toBe(refusal);
  });

  it('makes a new pair for each subscription', () => {
    const servers: MemoryDuplex[] = [];
    const transport = memory((server) => {
      servers.push(server);
    });
    transport(new URL('mqtt://a')).subscribe().unsubscribe();
    transport(new URL('mqtt://a')).subscribe();
    expect(servers).toHaveLength(2);
    expect(servers[0]!.closed).toBe(true);
    expect(servers[1]!.closed).toBe(false);
  });
});

import { WriteAhead } from '../../src/client/write-ahead.js';
import type { Packet } from '../../src/packets/packet.js';

const ping: Packet = { cmd: 'pingreq' };
const publish = (text: string): Packet => ({
  cmd: 'publish',
  topic: 't',
  payload: new TextEncoder().encode(text),
  qos: 0,
  dup: false,
  retain: false,
});
const texts = (packets: readonly Packet[]): string[] =>
  packets.map((p) => (p.cmd === 'publish' ? new TextDecoder().decode(p.payload) : p.cmd));

/** A store's `whenWritten` by hand: `pending` says whether a change is waiting; `written()` ends the oldest wait. */
function fakeStore(): { pending: boolean; whenWritten: (written: () => void) => boolean; written: () => void } {
  const waits: Array<() => void> = [];
  const store = {
    pending: false,
    whenWritten: (written: () => void): boolean => {
      if (!store.pending) return false;
      waits.push(written);
      return true;
    },
    written: (): void => waits.shift()?.(),
  };
  return store;
}

describe('WriteAhead', () => {
  it('sends at once when the store has nothing pending', () => {
    const store = fakeStore();
    const sent: Packet[] = [];
    new WriteAhead(store.whenWritten, (p) => sent.push(p), fail).send(ping);
    expect(sent).toEqual([ping]);
  });

  it('holds a packet until the store has written the changes made before it', () => {
    const store = fakeStore();
    const sent: Packet[] = [];
    const ahead = new WriteAhead(store.whenWritten, (p) => sent.push(p), fail);
    store.pending = true;
    ahead.send(publish('a'));
    expect(sent).toEqual([]);
    store.written();
    expect(texts(sent)).toEqual(['a']);
  });

  it('keeps the order: a packet with nothing pending of its own waits behind a held one', () => {
    const store = fakeStore();
    const sent: Packet[] = [];
    const ahead = new WriteAhead(store.whenWritten, (p) => sent.push(p), fail);
    store.pending = true;
    ahead.send(publish('a'));
    ahead.send(publish('b'));
    store.pending = false; // a later change was written already, but 'a' and 'b' still wait
    ahead.send(publish('c'));
    expect(sent).toEqual([]);
    store.written(); // releases 'a' only: 'b' waits for its own call
    expect(texts(sent)).toEqual(['a']);
    store.written();
    expect(texts(sent)).toEqual(['a', 'b', 'c']);
    ahead.send(publish('d'));
    expect(texts(sent)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('end(): with nothing held, closes at once', () => {
    const store = fakeStore();
    const closed: string[] = [];
    new WriteAhead(store.whenWritten, () => undefined, fail).end(() => closed.push('closed'));
    expect(closed).toEqual(['closed']);
  });

  it('end(): the held packets still go, in order, and the connection closes after the last (a closing DISCONNECT is not lost)', () => {
    const store = fakeStore();
    const events: string[] = [];
    const ahead = new WriteAhead(store.whenWritten, (p) => events.push(texts([p])[0] ?? ''), fail);
    store.pending = true;
    ahead.send(publish('a'));
    ahead.send({ cmd: 'disconnect' });
    ahead.end(() => events.push('closed'));
    expect(events).toEqual([]);
    store.written();
    expect(events).toEqual(['a']);
    store.written();
    expect(events).toEqual(['a', 'disconnect', 'closed']);
  });

  it('end() called from a write (the connection failed while sending): the rest still go, then it closes once', () => {
    const store = fakeStore();
    const events: string[] = [];
    const ahead: WriteAhead = new WriteAhead(
      store.whenWritten,
      (p) => {
        events.push(texts([p])[0] ?? '');
        if (events.length === 1) ahead.end(() => events.push('closed'));
      },
      fail,
    );
    store.pending = true;
    ahead.send(publish('a'));
    store.pending = false;
    ahead.send(publish('b'));
    store.written();
    expect(events).toEqual(['a', 'b', 'closed']);
  });

  it('a whenWritten that throws is reported, and the packet goes as if nothing were pending', () => {
    const sent: Packet[] = [];
    const reported: unknown[] = [];
    const boom = new Error('store closed');
    const ahead = new WriteAhead(
      () => {
        throw boom;
      },
      (p) => sent.push(p),
      (error) => reported.push(error),
    );
    ahead.send(ping);
    expect(sent).toEqual([ping]);
    expect(reported).toEqual([boom]);
  });
});

function fail(error: unknown): never {
  throw error;
}

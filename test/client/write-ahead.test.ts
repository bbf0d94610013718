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

  it('drop() forgets the held packets: a later release sends nothing of them', () => {
    const store = fakeStore();
    const sent: Packet[] = [];
    const ahead = new WriteAhead(store.whenWritten, (p) => sent.push(p), fail);
    store.pending = true;
    ahead.send(publish('old connection'));
    ahead.drop();
    store.pending = false;
    store.written();
    expect(sent).toEqual([]);
    ahead.send(publish('new connection'));
    expect(texts(sent)).toEqual(['new connection']);
  });

  it('stops releasing when a write drops the rest (the connection closed while sending)', () => {
    const store = fakeStore();
    const sent: Packet[] = [];
    const ahead: WriteAhead = new WriteAhead(
      store.whenWritten,
      (p) => {
        sent.push(p);
        ahead.drop();
      },
      fail,
    );
    store.pending = true;
    ahead.send(publish('a'));
    store.pending = false;
    ahead.send(publish('b'));
    store.written();
    expect(texts(sent)).toEqual(['a']);
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

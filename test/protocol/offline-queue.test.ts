import { MqttQueueFullError, MqttStoreError } from '../../src/protocol/errors.js';
import { OfflineQueue } from '../../src/protocol/offline-queue.js';
import type { PublishRequest } from '../../src/protocol/publish-request.js';
import { RestoredPublish } from '../../src/protocol/restored-publish.js';
import { memoryStore } from '../../src/store/index.js';

const req = (topic: string, qos: 0 | 1 | 2 = 1): PublishRequest => ({
  topic,
  payload: new Uint8Array([1]),
  qos,
  retain: false,
  properties: { contentType: 'x' },
});

describe('OfflineQueue', () => {
  it('QoS 1/2 publishes are stored as queued, under increasing numbers; QoS 0 ones are not', () => {
    const store = memoryStore();
    const q = new OfflineQueue<PublishRequest>(store, 5, []);
    q.push(req('a'));
    q.push(req('b', 0));
    q.push(req('c', 2));
    expect(q.size).toBe(3);
    expect(store.load().queued.map(({ seq, packet }) => [seq, packet.topic, packet.properties])).toEqual([
      [1, 'a', { contentType: 'x' }],
      [2, 'c', { contentType: 'x' }],
    ]);
  });

  it('before MQTT 5 the stored packet has no properties', () => {
    const store = memoryStore();
    new OfflineQueue<PublishRequest>(store, 4, []).push(req('a'));
    expect(store.load().queued[0]?.packet).toEqual({ cmd: 'publish', topic: 'a', payload: new Uint8Array([1]), qos: 1, dup: false, retain: false });
  });

  it('a store failure is returned and the publish is not queued', () => {
    const store = memoryStore();
    const error = new MqttStoreError('disk full', 'putQueued', new Error('ENOSPC'));
    store.putQueued = () => {
      throw error;
    };
    const q = new OfflineQueue<PublishRequest>(store, 5, []);
    const r = req('a');
    expect(q.push(r)).toBe(error);
    expect(q.has(r)).toBe(false);
    expect(q.push(req('b', 0))).toBeUndefined();
  });

  it('restored publishes come first, and new numbers follow theirs; take() gives each its number', () => {
    const store = memoryStore();
    const packet = { cmd: 'publish' as const, topic: 'old', payload: new Uint8Array(), qos: 1 as const, dup: false, retain: false };
    const q = new OfflineQueue<PublishRequest>(store, 5, [{ seq: 7, packet }]);
    const r = req('new');
    q.push(r);
    const head = q.peek();
    expect(head).toBeInstanceOf(RestoredPublish);
    expect(head?.topic).toBe('old');
    expect(q.take()).toBe(7);
    expect(q.peek()).toBe(r);
    expect(q.take()).toBe(8);
    expect(q.take()).toBeUndefined();
  });

  it('cancel removes a waiting publish from the store; drain rejects the rest in order, restored ones stay stored', () => {
    const store = memoryStore();
    const packet = { cmd: 'publish' as const, topic: 'old', payload: new Uint8Array(), qos: 1 as const, dup: false, retain: false };
    store.putQueued(3, packet);
    const q = new OfflineQueue<PublishRequest>(store, 5, [{ seq: 3, packet }]);
    const [a, b, c] = [req('a'), req('b'), req('c', 0)];
    q.push(a);
    q.push(b);
    q.push(c);
    q.cancel(a);
    expect(q.has(a)).toBe(false);
    expect(store.load().queued.map((e) => e.seq)).toEqual([3, 5]);
    const rejected: PublishRequest[] = [];
    q.drain((r) => rejected.push(r));
    expect(rejected).toEqual([b, c]);
    expect(q.size).toBe(0);
    expect(store.load().queued.map((e) => e.seq)).toEqual([3]);
  });

  it('holds at most `limit` publishes, restored ones counted: the next is refused with MqttQueueFullError, nothing stored', () => {
    const store = memoryStore();
    const packet = { cmd: 'publish' as const, topic: 'old', payload: new Uint8Array(), qos: 1 as const, dup: false, retain: false };
    const q = new OfflineQueue<PublishRequest>(store, 5, [{ seq: 1, packet }], 2);
    expect(q.push(req('a'))).toBeUndefined();
    const full = q.push(req('b'));
    expect(full).toBeInstanceOf(MqttQueueFullError);
    expect(full?.message).toBe('the offline queue holds queueLimit (2) messages');
    expect(q.size).toBe(2);
    expect(store.load().queued.map((e) => e.packet.topic)).toEqual(['a']); // 'b' was not stored
    q.take();
    expect(q.push(req('b', 0))).toBeUndefined(); // room again
  });

  it('no limit by default', () => {
    const q = new OfflineQueue<PublishRequest>(memoryStore(), 5, []);
    for (let i = 0; i < 1000; i++) expect(q.push(req(`t${i}`, 0))).toBeUndefined();
    expect(q.size).toBe(1000);
  });
});

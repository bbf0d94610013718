import type { PublishPacket } from '../packets/packet.js';
import type { SessionStore, StoredSession } from './session-store.js';

/**
 * A {@link SessionStore} in memory: state survives lost connections but not the
 * process. The default store of `connect()`.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * const client = connect('mqtt://broker', { store });
 * ```
 * @returns a new, empty store.
 */
export function memoryStore(): SessionStore {
  const outgoing = new Map<number, PublishPacket>();
  const released = new Set<number>();
  const incoming = new Set<number>();
  const queued = new Map<number, PublishPacket>();
  return {
    load(): StoredSession {
      return {
        outgoing: Array.from(outgoing.values(), (packet) => ({ packet, released: released.has(packet.messageId ?? 0) })),
        incoming: Array.from(incoming),
        queued: Array.from(queued, ([seq, packet]) => ({ seq, packet })).sort((a, b) => a.seq - b.seq),
      };
    },
    putQueued(seq, packet) {
      queued.set(seq, packet);
    },
    deleteQueued(seq) {
      queued.delete(seq);
    },
    putOutgoing(packet, seq) {
      if (seq !== undefined) queued.delete(seq);
      // A PUBLISH (re)sent as new is back in its first phase: PUBREC not yet received.
      outgoing.set(packet.messageId ?? 0, packet);
      released.delete(packet.messageId ?? 0);
    },
    releaseOutgoing(messageId) {
      released.add(messageId);
    },
    deleteOutgoing(messageId) {
      outgoing.delete(messageId);
      released.delete(messageId);
    },
    putIncoming(messageId) {
      incoming.add(messageId);
    },
    deleteIncoming(messageId) {
      incoming.delete(messageId);
    },
    clearIncoming() {
      incoming.clear();
    },
  };
}

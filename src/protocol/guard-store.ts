import type { PublishPacket } from '../packets/packet.js';
import type { SessionStore, StoredSession } from '../store/session-store.js';
import { MqttStoreError } from './errors.js';

/**
 * The session's view of its store, so that no store failure escapes into input
 * handling. `load`, `putQueued` and `putOutgoing` throw a {@link MqttStoreError} (with
 * the store's error as `cause`): the session decides what the failed publish becomes.
 * The other calls (releases, deletions, inbound identifiers) catch what the store
 * throws and pass it to `report` as a `MqttStoreError`; the session goes on from its
 * memory.
 *
 * @example
 * ```ts
 * const store = guardStore(config.store, (error) => output.storeError(error));
 * store.deleteOutgoing(7); // never throws
 * ```
 * @param store the store the application gave.
 * @param report where failures of the calls that do not throw go.
 * @returns the guarded store.
 */
export function guardStore(store: SessionStore, report: (error: MqttStoreError) => void): SessionStore {
  return {
    load(): StoredSession {
      try {
        return store.load();
      } catch (cause) {
        throw storeError('load', cause);
      }
    },
    putQueued(seq: number, packet: PublishPacket): void {
      try {
        store.putQueued(seq, packet);
      } catch (cause) {
        throw storeError('putQueued', cause);
      }
    },
    putOutgoing(packet: PublishPacket, seq?: number): void {
      try {
        store.putOutgoing(packet, seq);
      } catch (cause) {
        throw storeError('putOutgoing', cause);
      }
    },
    // One try per method, no closure: deleteOutgoing runs on every acknowledgement.
    deleteQueued(seq: number): void {
      try {
        store.deleteQueued(seq);
      } catch (cause) {
        report(storeError('deleteQueued', cause));
      }
    },
    releaseOutgoing(messageId: number): void {
      try {
        store.releaseOutgoing(messageId);
      } catch (cause) {
        report(storeError('releaseOutgoing', cause));
      }
    },
    deleteOutgoing(messageId: number): void {
      try {
        store.deleteOutgoing(messageId);
      } catch (cause) {
        report(storeError('deleteOutgoing', cause));
      }
    },
    putIncoming(messageId: number): void {
      try {
        store.putIncoming(messageId);
      } catch (cause) {
        report(storeError('putIncoming', cause));
      }
    },
    deleteIncoming(messageId: number): void {
      try {
        store.deleteIncoming(messageId);
      } catch (cause) {
        report(storeError('deleteIncoming', cause));
      }
    },
    clearIncoming(): void {
      try {
        store.clearIncoming();
      } catch (cause) {
        report(storeError('clearIncoming', cause));
      }
    },
  };
}

/**
 * The {@link MqttStoreError} of a store call that threw.
 *
 * @param operation the store call.
 * @param cause what it threw.
 * @returns the error, its message naming the call and the cause.
 */
export function storeError(operation: string, cause: unknown): MqttStoreError {
  // Node's fs errors can fail `instanceof Error` across realms (vm, Jest): read the message.
  const message = typeof cause === 'object' && cause !== null ? (cause as { message?: unknown }).message : undefined;
  const why = typeof message === 'string' ? message : String(cause);
  return new MqttStoreError(`the session store failed (${operation}): ${why}`, operation, cause);
}

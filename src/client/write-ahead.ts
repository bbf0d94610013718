import type { Packet } from '../packets/packet.js';

/** A packet held back, and whether the store writes made before it are still pending. */
interface Held {
  readonly packet: Packet;
  waiting: boolean;
}

/**
 * Write-ahead for a store that writes behind (IndexedDB): a packet goes to the
 * connection only once the store has written every change made before it, so no
 * packet leaves ahead of the state it implies (a PUBLISH ahead of its record, a PUBREC
 * ahead of the inbound identifier). Packets keep their order; while one waits, the
 * ones after it wait too.
 *
 * @example
 * ```ts
 * const ahead = new WriteAhead((written) => store.whenWritten(written), (packet) => socket.send(packet));
 * ahead.send(publish); // sent once the store has written the PUBLISH's record
 * ```
 */
export class WriteAhead {
  private held: Held[] = [];

  /**
   * @param whenWritten the store's `whenWritten`: `false` when nothing is pending, else
   *   `true` and a later call of `written`.
   * @param write puts a packet on the connection.
   * @param report where an exception from `whenWritten` goes (the packet is then sent as if nothing were pending).
   */
  constructor(
    private readonly whenWritten: (written: () => void) => boolean,
    private readonly write: (packet: Packet) => void,
    private readonly report: (error: unknown) => void,
  ) {}

  /** Sends `packet` now, or once the store's pending writes (and the packets held before it) are through. */
  send(packet: Packet): void {
    const entry: Held = { packet, waiting: true };
    let pending: boolean;
    try {
      pending = this.whenWritten(() => {
        entry.waiting = false;
        this.release();
      });
    } catch (error) {
      this.report(error);
      pending = false;
    }
    if (!pending && this.held.length === 0) {
      this.write(packet);
      return;
    }
    entry.waiting = pending;
    this.held.push(entry);
  }

  /** Forgets the held packets: their connection is gone (the session resends what it must on the next one). */
  drop(): void {
    this.held = [];
  }

  /** Sends the held packets from the front up to the first still waiting. */
  private release(): void {
    const held = this.held;
    while (held.length > 0 && held[0]?.waiting === false) {
      const entry = held.shift() as Held;
      this.write(entry.packet);
      // A write that closed the connection dropped the rest.
      if (this.held !== held) return;
    }
  }
}

import type { Packet } from '../packets/packet.js';

/** A packet held back, and whether the store writes made before it are still pending. */
interface Held {
  readonly packet: Packet;
  waiting: boolean;
}

/**
 * Write-ahead for a store that writes behind (IndexedDB), one per connection: a packet
 * goes to the connection only once the store has written every change made before it,
 * so no packet leaves ahead of the state it implies (a PUBLISH ahead of its record, a
 * PUBREC ahead of the inbound identifier). Packets keep their order; while one waits,
 * the ones after it wait too. The sequence of packets is the one without a store
 * that writes behind, only later.
 *
 * @example
 * ```ts
 * const ahead = new WriteAhead((written) => store.whenWritten(written), (packet) => socket.send(packet));
 * ahead.send(publish); // sent once the store has written the PUBLISH's record
 * ```
 */
export class WriteAhead {
  private readonly held: Held[] = [];
  /** Set by {@link end}: called once nothing is held. */
  private ended: (() => void) | undefined;

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

  /**
   * The connection is closing: no packet comes after these. The held ones still go, in
   * order, as the store writes what they wait for (a closing DISCONNECT among them);
   * then `then` closes the connection. On a connection the peer closed, the transport
   * drops them.
   *
   * @param then called once nothing is held: at once, or after the last held packet is written.
   */
  end(then: () => void): void {
    if (this.held.length === 0) then();
    else this.ended = then;
  }

  /** Sends the held packets from the front up to the first still waiting. */
  private release(): void {
    const held = this.held;
    while (held.length > 0 && held[0]?.waiting === false) {
      this.write((held.shift() as Held).packet);
    }
    const ended = this.ended;
    if (held.length === 0 && ended !== undefined) {
      this.ended = undefined;
      ended();
    }
  }
}

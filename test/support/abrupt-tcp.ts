import { connect, type Socket } from 'node:net';
import { map } from 'rxjs';
import { socketTransport } from '../../src/transport/socket-transport.js';
import { hostOf, portOf } from '../../src/transport/tcp.js';
import type { Duplex, Transport } from '../../src/transport/transport.js';

/** A TCP transport whose live sockets a test can kill. */
export interface AbruptTcp {
  /** Pass as `options.transport`. */
  readonly transport: Transport;
  /**
   * Resets every socket this transport opened (TCP RST, no DISCONNECT): to the broker,
   * a network failure — it publishes the will at once; to the client, a lost connection.
   */
  drop(): void;
  /**
   * Arms a trap: the next write for which `matches(bytes)` holds is not sent; the
   * connection is reset instead (as if lost on the way). One packet per write is what
   * the client does, so this catches one packet.
   */
  dropBefore(matches: (bytes: Uint8Array) => boolean): void;
}

/**
 * True for a PUBLISH at QoS 1 or 2 (fixed header type 3, QoS bits set).
 *
 * @param bytes one packet.
 * @returns whether it is one.
 */
export function isQosPublish(bytes: Uint8Array): boolean {
  const header = bytes[0] ?? 0;
  return header >> 4 === 3 && (header & 0x06) !== 0;
}

/**
 * Plain TCP like `tcp()`, but keeping hold of its sockets so a test can cut the
 * connection from the client side without the client knowing (and so without an MQTT
 * DISCONNECT): the way to get a will published now rather than after 1.5 × keepalive.
 *
 * @example
 * ```ts
 * const wire = abruptTcp();
 * const client = connect(url, { transport: wire.transport, will });
 * wire.drop();
 * ```
 * @returns the transport and its `drop()`.
 */
export function abruptTcp(): AbruptTcp {
  const sockets = new Set<Socket>();
  let trap: ((bytes: Uint8Array) => boolean) | undefined;
  const drop = (): void => {
    for (const socket of sockets) socket.resetAndDestroy();
  };
  const trapped = (duplex: Duplex): Duplex => ({
    incoming: duplex.incoming,
    send(bytes) {
      if (trap?.(bytes) === true) {
        trap = undefined;
        drop();
        return;
      }
      duplex.send(bytes);
    },
    close: () => duplex.close(),
  });
  return {
    transport: (url) =>
      socketTransport(() => {
        const socket = connect({ host: hostOf(url), port: portOf(url, 1883) });
        socket.setNoDelay(true);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      }, 'connect').pipe(map(trapped)),
    drop,
    dropBefore(matches) {
      trap = matches;
    },
  };
}

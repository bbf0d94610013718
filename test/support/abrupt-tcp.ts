import { connect, type Socket } from 'node:net';
import { socketTransport } from '../../src/transport/socket-transport.js';
import { hostOf, portOf } from '../../src/transport/tcp.js';
import type { Transport } from '../../src/transport/transport.js';

/** A TCP transport whose live sockets a test can kill. */
export interface AbruptTcp {
  /** Pass as `options.transport`. */
  readonly transport: Transport;
  /**
   * Resets every socket this transport opened (TCP RST, no DISCONNECT): to the broker,
   * a network failure — it publishes the will at once; to the client, a lost connection.
   */
  drop(): void;
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
  return {
    transport: (url) =>
      socketTransport(() => {
        const socket = connect({ host: hostOf(url), port: portOf(url, 1883) });
        socket.setNoDelay(true);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      }, 'connect'),
    drop() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
  };
}

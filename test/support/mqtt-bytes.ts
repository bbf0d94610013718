import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** A hand-made MQTT 3.1.1 CONNECT: client id `clientId`, clean session, keepalive 60 s. */
export function connectPacket(clientId: string): Uint8Array {
  const id = new TextEncoder().encode(clientId);
  const body = [
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x04, // protocol level 4 (3.1.1)
    0x02, // connect flags: clean session
    0x00, 0x3c, // keepalive 60
    id.length >> 8, id.length & 0xff, ...id, // client identifier
  ];
  return Uint8Array.from([0x10, body.length, ...body]); // CONNECT, remaining length (< 128)
}

/** CONNACK, 3.1.1: session present 0, return code 0 (accepted). */
export const CONNACK_ACCEPTED = Uint8Array.from([0x20, 0x02, 0x00, 0x00]);

/**
 * Opens a raw TCP (or, with `ca`, TLS) socket to 127.0.0.1:`port`, sends a CONNECT and
 * resolves with the first 4 bytes the broker answers; the socket is destroyed after.
 *
 * @param port the broker's port.
 * @param tlsCa the CA to trust, for a TLS listener.
 * @returns the bytes of the CONNACK.
 */
export function exchangeConnect(port: number, tlsCa?: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket: Socket =
      tlsCa === undefined
        ? connect({ host: '127.0.0.1', port })
        : tlsConnect({ host: '127.0.0.1', port, ca: tlsCa });
    let received = new Uint8Array(0);
    socket.once(tlsCa === undefined ? 'connect' : 'secureConnect', () => socket.write(connectPacket('rxmqtt_launcher')));
    socket.on('data', (chunk: Buffer) => {
      received = Uint8Array.from([...received, ...chunk]);
      if (received.length >= 4) {
        socket.destroy();
        resolve(received.slice(0, 4));
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed after ${received.length} bytes`)));
  });
}

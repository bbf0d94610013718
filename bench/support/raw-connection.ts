/**
 * A bare MQTT connection for the raw ceiling: a `net` socket (Nagle off), a hand-made
 * CONNECT/CONNACK, and a framing loop that only splits packets (fixed header +
 * remaining length) and hands each one over undecoded.
 */
import { generate } from 'mqtt-packet';
import { connect as netConnect, type Socket } from 'node:net';

/** Receives one framed packet: its first byte and where its body lies in `bytes`. */
export type OnFrame = (header: number, bytes: Buffer, bodyStart: number, bodyEnd: number) => void;

/** An open raw connection. */
export interface RawConnection {
  readonly socket: Socket;
  /** Replaces the frame handler (the CONNACK waiter until then). */
  onFrame: OnFrame;
  /** Called after all frames of one incoming chunk were handed over. */
  onChunkEnd: () => void;
  /** Sends DISCONNECT and waits for the socket to close. */
  close(): Promise<void>;
}

let clientCount = 0;

/**
 * Reads a variable byte integer.
 * @param bytes source
 * @param pos position of its first byte
 * @param end end of the readable bytes
 * @returns [value, position after it], or undefined when incomplete
 */
export function readVarint(bytes: Buffer, pos: number, end: number): [number, number] | undefined {
  let value = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) return undefined;
    const b = bytes[pos++] as number;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
  }
  throw new Error('malformed remaining length');
}

/**
 * Connects, sends CONNECT (clean, keepalive 0, so no pings), waits for a successful CONNACK.
 * @param port broker port on 127.0.0.1
 * @param protocolVersion 4 or 5
 * @returns the open connection
 */
export async function openRawConnection(port: number, protocolVersion: 4 | 5): Promise<RawConnection> {
  const socket = netConnect({ port, host: '127.0.0.1', noDelay: true });
  let rest: Buffer | undefined;
  const connection: RawConnection = {
    socket,
    onFrame: () => undefined,
    onChunkEnd: () => undefined,
    close() {
      return new Promise((resolve) => {
        if (socket.destroyed) { resolve(); return; }
        socket.once('close', () => resolve());
        socket.end(Buffer.from([0xe0, 0x00]));
      });
    },
  };
  socket.on('data', (chunk: Buffer) => {
    let bytes = chunk;
    if (rest !== undefined) { bytes = Buffer.concat([rest, chunk]); rest = undefined; }
    const end = bytes.length;
    let pos = 0;
    while (end - pos >= 2) {
      const length = readVarint(bytes, pos + 1, end);
      if (length === undefined) break;
      const [remaining, bodyStart] = length;
      const bodyEnd = bodyStart + remaining;
      if (bodyEnd > end) break;
      connection.onFrame(bytes[pos] as number, bytes, bodyStart, bodyEnd);
      pos = bodyEnd;
    }
    if (pos < end) rest = bytes.subarray(pos);
    connection.onChunkEnd();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    connection.onFrame = (header, bytes, bodyStart) => {
      const code = bytes[bodyStart + 1];
      if (header !== 0x20 || code !== 0) reject(new Error(`CONNACK refused: header ${header}, code ${code}`));
      else { socket.removeListener('error', reject); resolve(); }
    };
    socket.write(generate({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion, clean: true, keepalive: 0,
      clientId: `rawbench_${process.pid}_${++clientCount}`,
    }, { protocolVersion }));
  });
  socket.on('error', () => undefined);
  return connection;
}

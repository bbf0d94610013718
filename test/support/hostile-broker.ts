import { createServer, type Server, type Socket } from 'node:net';
import { decode } from '../../src/packets/decode.js';
import { encode } from '../../src/packets/encode.js';
import { Framer } from '../../src/packets/framer.js';
import type { ConnectPacket, Packet, ProtocolVersion, PublishPacket } from '../../src/packets/packet.js';

/** One client connection to the {@link HostileBroker}, once its CONNECT has arrived. */
export interface HostileConnection {
  /** 0 for the first connection the server accepted, then 1, 2, … */
  readonly index: number;
  readonly socket: Socket;
  /** The client's CONNECT. */
  readonly connect: ConnectPacket;
  /** The protocol level of the CONNECT. */
  readonly version: ProtocolVersion;
  /** Every packet the client sent after CONNECT (while the server still reads). */
  readonly received: Packet[];
  /**
   * Writes raw bytes, or a packet encoded for this connection's version.
   *
   * @returns false once the socket's buffer is full (wait for 'drain').
   */
  send(data: Uint8Array | Packet): boolean;
  /** Handles every later packet from the client (one handler; the last one set wins). */
  onPacket(handler: (packet: Packet) => void): void;
  /** Never reads from the socket again: the client's bytes pile up in its own buffers. */
  stopReading(): void;
  /** Closes the connection (FIN after what was written). */
  end(): void;
}

/** What the server does with one connection, called once its CONNECT has arrived. */
export type Behaviour = (connection: HostileConnection) => void;

/** A raw TCP server on 127.0.0.1 playing a misbehaving MQTT broker. */
export interface HostileBroker {
  readonly port: number;
  /** `mqtt://127.0.0.1:${port}`. */
  readonly url: string;
  /** TCP connections accepted so far (with or without a CONNECT). */
  readonly accepted: number;
  /** The connections whose CONNECT arrived, in order. */
  readonly connections: readonly HostileConnection[];
  /**
   * Bytes from the client the server could not frame or decode (none is expected:
   * each one is a client bug). The connection is destroyed.
   */
  readonly clientErrors: readonly Error[];
  /** Destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the hostile broker on a free 127.0.0.1 port. `script` says what each
 * connection gets: the n-th connection (from 0) plays `script[n]`, and the last
 * entry plays for every later one; or pass a function of the connection index.
 * Nothing happens before the client's CONNECT arrives; bytes before it that are
 * not a CONNECT close the connection.
 *
 * @example
 * ```ts
 * const server = await startHostileBroker([connackThen(QOS3_PUBLISH), good()]);
 * const client = connect(server.url, { reconnect: { initialDelay: 20 } });
 * // first connection: malformed PUBLISH; every later one: a well-behaved broker
 * ```
 * @param script a behaviour per connection.
 * @returns the running server.
 */
export async function startHostileBroker(script: readonly Behaviour[] | ((index: number) => Behaviour)): Promise<HostileBroker> {
  const sockets = new Set<Socket>();
  const connections: HostileConnection[] = [];
  const clientErrors: Error[] = [];
  let accepted = 0;
  let closed = false;
  const pick = (index: number): Behaviour => {
    if (typeof script === 'function') return script(index);
    const behaviour = script[Math.min(index, script.length - 1)];
    if (behaviour === undefined) throw new Error('startHostileBroker needs at least one behaviour');
    return behaviour;
  };

  const server: Server = createServer((socket) => {
    const index = accepted++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    const framer = new Framer();
    let connection: Connection | undefined;
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
          if (connection === undefined) {
            const version = connectVersion(frame);
            if (version === undefined) throw new Error(`the first packet is not a CONNECT (byte 1: ${frame[0]})`);
            connection = new Connection(index, socket, decode(frame, version) as ConnectPacket, version);
            connections.push(connection);
            pick(index)(connection);
          } else {
            connection.deliver(decode(frame, connection.version));
          }
        }
      } catch (error) {
        clientErrors.push(error instanceof Error ? error : new Error(String(error)));
        socket.destroy();
      }
    });
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    connections,
    clientErrors,
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The protocol level of a CONNECT frame, or undefined when it is not one. */
function connectVersion(frame: Uint8Array): ProtocolVersion | undefined {
  if (frame[0] !== 0x10) return undefined;
  let i = 1;
  while (i < frame.length && (frame[i]! & 0x80) !== 0) i++;
  i++; // past the remaining length
  const nameLength = ((frame[i] ?? 0) << 8) | (frame[i + 1] ?? 0);
  const level = frame[i + 2 + nameLength];
  return level === 3 || level === 4 || level === 5 ? level : undefined;
}

class Connection implements HostileConnection {
  readonly received: Packet[] = [];
  private handler: ((packet: Packet) => void) | undefined;

  constructor(
    readonly index: number,
    readonly socket: Socket,
    readonly connect: ConnectPacket,
    readonly version: ProtocolVersion,
  ) {}

  send(data: Uint8Array | Packet): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    return this.socket.write(data instanceof Uint8Array ? data : encode(data, this.version));
  }

  onPacket(handler: (packet: Packet) => void): void {
    this.handler = handler;
  }

  deliver(packet: Packet): void {
    this.received.push(packet);
    this.handler?.(packet);
  }

  stopReading(): void {
    this.socket.pause();
    this.socket.removeAllListeners('data');
  }

  end(): void {
    this.socket.end();
  }
}

// ---------------------------------------------------------------- behaviours

/**
 * A CONNACK accepting the connection (no session present), for the connection's version.
 *
 * @param version the protocol level.
 * @returns the packet.
 */
export function connack(version: ProtocolVersion): Packet {
  return version === 5
    ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 }
    : { cmd: 'connack', sessionPresent: false, returnCode: 0 };
}

/**
 * A well-behaved broker, enough for one client: accepts the connection, acknowledges
 * QoS 1 and 2 publishes (PUBACK, PUBREC, PUBCOMP), SUBSCRIBE (granting the QoS asked),
 * UNSUBSCRIBE and PINGREQ; closes on DISCONNECT.
 *
 * @returns the behaviour.
 */
export function good(): Behaviour {
  return (c) => {
    c.send(connack(c.version));
    c.onPacket((p) => {
      const v5 = c.version === 5;
      switch (p.cmd) {
        case 'publish':
          if (p.qos === 1) c.send(v5 ? { cmd: 'puback', messageId: p.messageId!, reasonCode: 0 } : { cmd: 'puback', messageId: p.messageId! });
          if (p.qos === 2) c.send(v5 ? { cmd: 'pubrec', messageId: p.messageId!, reasonCode: 0 } : { cmd: 'pubrec', messageId: p.messageId! });
          return;
        case 'pubrel':
          c.send(v5 ? { cmd: 'pubcomp', messageId: p.messageId, reasonCode: 0 } : { cmd: 'pubcomp', messageId: p.messageId });
          return;
        case 'subscribe':
          c.send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map((s) => s.qos) });
          return;
        case 'unsubscribe':
          c.send(
            v5
              ? { cmd: 'unsuback', messageId: p.messageId, granted: p.unsubscriptions.map(() => 0) }
              : { cmd: 'unsuback', messageId: p.messageId },
          );
          return;
        case 'pingreq':
          c.send({ cmd: 'pingresp' });
          return;
        case 'disconnect':
          c.end();
          return;
        default:
          return;
      }
    });
  };
}

/** Bytes to send: raw, a packet (encoded for the connection), or made from the version and the packet that triggered them. */
export type Chunk = Uint8Array | Packet | ((version: ProtocolVersion, trigger: Packet | undefined) => Uint8Array | Packet);

/** The chunks as one buffer, for one TCP write. */
function render(chunks: readonly Chunk[], version: ProtocolVersion, trigger: Packet | undefined): Uint8Array {
  return concat(
    chunks.map((chunk) => {
      const value = typeof chunk === 'function' ? chunk(version, trigger) : chunk;
      return value instanceof Uint8Array ? value : encode(value, version);
    }),
  );
}

/**
 * Answers CONNECT with exactly these chunks, written together in one TCP write, and
 * nothing else ever: later packets are read and ignored.
 *
 * @param chunks what to send, in order.
 * @returns the behaviour.
 */
export function answer(...chunks: Chunk[]): Behaviour {
  return (c) => {
    c.send(render(chunks, c.version, undefined));
  };
}

/**
 * Accepts the connection with a good CONNACK, waits for the client's first packet
 * after it (so the client has surely processed the CONNACK and is connected), then
 * sends these chunks in one TCP write; nothing else ever.
 *
 * @param chunks what to send; a function chunk gets the client's first packet.
 * @returns the behaviour.
 */
export function connackThen(...chunks: Chunk[]): Behaviour {
  return (c) => {
    c.send(connack(c.version));
    let fired = false;
    c.onPacket((packet) => {
      if (fired) return;
      fired = true;
      c.send(render(chunks, c.version, packet));
    });
  };
}

/**
 * Never answers CONNECT (reads and ignores everything).
 *
 * @returns the behaviour.
 */
export function silent(): Behaviour {
  return () => undefined;
}

/**
 * CONNACK, then, on the client's first packet after it, the fixed header of a
 * PUBLISH announcing `totalBytes` bytes and the first few bytes of its body; nothing
 * more ever (the connection stays open).
 *
 * @param totalBytes the announced packet size, fixed header included (≤ 268435460).
 * @returns the behaviour.
 */
export function hugePacket(totalBytes: number): Behaviour {
  let remaining = totalBytes - 2;
  while (1 + varint(remaining).length + remaining > totalBytes) remaining--;
  const header = [0x30, ...varint(remaining)];
  const start = [0x00, 0x03, 0x62, 0x69, 0x67, 0x00, 0x01, 0x02, 0x03, 0x04]; // topic "big", a few payload bytes
  return connackThen(Uint8Array.from([...header, ...start]));
}

/** Options of {@link flood}. */
export interface FloodOptions {
  /** How many PUBLISH packets. */
  count: number;
  /** Payload size of each, bytes; default 64. */
  payloadBytes?: number;
  /** QoS of each; default 1. */
  qos?: 1 | 2;
  /** Called once every PUBLISH has been handed to the socket. */
  onDone?: (connection: HostileConnection) => void;
}

/**
 * CONNACK, then stops reading (our acknowledgements are never read) and writes
 * `count` PUBLISH packets to `flood/<n>` as fast as the socket takes them, in
 * batches of 500 (the server itself respects backpressure, so its own buffers stay
 * small, and yields to the event loop it shares with the client).
 *
 * @param options count, payload size, QoS, completion callback.
 * @returns the behaviour.
 */
export function flood(options: FloodOptions): Behaviour {
  const payload = new Uint8Array(options.payloadBytes ?? 64).fill(0x61);
  const qos = options.qos ?? 1;
  return (c) => {
    c.stopReading();
    c.send(connack(c.version));
    let sent = 0;
    // Writes in batches and yields between them: the server shares the event loop
    // with the client under test, and one long synchronous loop would starve it.
    const pump = (): void => {
      if (c.socket.destroyed) return;
      const batchEnd = Math.min(options.count, sent + 500);
      while (sent < batchEnd) {
        const messageId = (sent % 65535) + 1;
        const packet: PublishPacket = { cmd: 'publish', topic: `flood/${sent}`, payload, qos, dup: false, retain: false, messageId };
        sent++;
        if (!c.send(packet)) {
          c.socket.once('drain', pump);
          return;
        }
      }
      if (sent < options.count) setImmediate(pump);
      else options.onDone?.(c);
    };
    setImmediate(pump);
  };
}

/**
 * MQTT 5: CONNACK, DISCONNECT with `reasonCode`, then `after` (bytes a client must
 * ignore: MQTT-3.14.4-1 forbids sending them) in the same TCP write; the server
 * leaves the connection open, so closing it is the client's job (MQTT-3.14.4-2).
 *
 * @param reasonCode the DISCONNECT reason code.
 * @param after what follows the DISCONNECT.
 * @returns the behaviour.
 */
export function bytesAfterDisconnect(reasonCode: number, after: Uint8Array | Packet): Behaviour {
  return answer(connack, { cmd: 'disconnect', reasonCode }, after);
}

/** A Variable Byte Integer, shortest form. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The raw-socket ceiling: PUBLISH frames pre-encoded with mqtt-packet's `generate`
 * before timing (only the 16-byte stamp is patched in just before each write), written
 * straight to a `net` socket, corked per event-loop turn; a raw subscriber that frames
 * minimally and reads the stamp in place. QoS 1/2 are raw too: the publisher matches
 * PUBACK / answers PUBREC with PUBREL / matches PUBCOMP by packet id, the subscriber
 * answers PUBACK / PUBREC, then PUBCOMP on PUBREL — acks built by hand (4 bytes, also
 * valid in MQTT 5), batched into one write per incoming chunk.
 */
import { generate } from 'mqtt-packet';
import type { Driver, OnMessage, Pair, PairSpec } from './driver.js';
import { stamp } from './payload.js';
import { openRawConnection, readVarint, type RawConnection } from './raw-connection.js';

const PUBACK = 0x40;
const PUBREC = 0x50;
const PUBREL = 0x62;
const PUBCOMP = 0x70;

/** Collects 4-byte acks during one chunk and writes them at once. */
class AckBatch {
  private bytes = Buffer.allocUnsafe(4096);
  private length = 0;
  constructor(private readonly connection: RawConnection) {}
  add(type: number, high: number, low: number): void {
    if (this.length + 4 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    const b = this.bytes;
    b[this.length] = type; b[this.length + 1] = 2; b[this.length + 2] = high; b[this.length + 3] = low;
    this.length += 4;
  }
  flush(): void {
    if (this.length === 0) return;
    this.connection.socket.write(Buffer.from(this.bytes.subarray(0, this.length)));
    this.length = 0;
  }
}

interface Frames {
  key: string;
  frames: Buffer[];
  payloadOffset: number[];
}

/** The pre-encoded frames of the current row, kept across rounds. */
let cache: Frames | undefined;

function framesFor(spec: PairSpec): Frames {
  const key = `${spec.topic}|${spec.qos}|${spec.size}|${spec.protocolVersion}`;
  if (cache !== undefined && cache.key === key && cache.frames.length >= spec.frames) return cache;
  cache = undefined;
  const frames: Buffer[] = [];
  const payloadOffset: number[] = [];
  const payload = Buffer.alloc(spec.size, 0x61);
  for (let seq = 0; seq < spec.frames; seq++) {
    const frame = generate({
      cmd: 'publish', topic: spec.topic, payload, qos: spec.qos, retain: false, dup: false,
      messageId: spec.qos === 0 ? undefined : (seq % 65535) + 1,
    }, { protocolVersion: spec.protocolVersion });
    frames.push(frame);
    payloadOffset.push(frame.length - spec.size);
  }
  cache = { key, frames, payloadOffset };
  return cache;
}

async function subscribe(connection: RawConnection, spec: PairSpec): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    connection.onFrame = (header, bytes, _bodyStart, bodyEnd) => {
      if (header !== 0x90) return;
      const granted = bytes[bodyEnd - 1] as number;
      if (granted >= 0x80) reject(new Error(`SUBACK refused: ${granted}`));
      else resolve();
    };
    connection.socket.write(generate({
      cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: spec.topic, qos: spec.qos }],
    }, { protocolVersion: spec.protocolVersion }));
  });
}

/** Turns the subscriber connection's frames into `onMessage` calls and acks. */
function receive(connection: RawConnection, v5: boolean, onMessage: OnMessage): void {
  const acks = new AckBatch(connection);
  connection.onFrame = (header, bytes, bodyStart) => {
    const type = header & 0xf0;
    if (type === 0x30) {
      const qos = (header >> 1) & 3;
      let pos = bodyStart + 2 + (((bytes[bodyStart] as number) << 8) | (bytes[bodyStart + 1] as number));
      const high = bytes[pos] as number;
      const low = bytes[pos + 1] as number;
      if (qos > 0) pos += 2;
      if (v5) {
        const props = readVarint(bytes, pos, bytes.length);
        if (props === undefined) throw new Error('truncated properties');
        pos = props[1] + props[0];
      }
      onMessage(bytes, pos);
      if (qos === 1) acks.add(PUBACK, high, low);
      else if (qos === 2) acks.add(PUBREC, high, low);
    } else if (header === PUBREL) {
      acks.add(PUBCOMP, bytes[bodyStart] as number, bytes[bodyStart + 1] as number);
    }
  };
  connection.onChunkEnd = () => acks.flush();
}

/**
 * The raw-socket ceiling driver.
 * @returns the driver
 */
export function rawDriver(): Driver {
  return {
    name: 'raw',
    async open(spec: PairSpec, onMessage: OnMessage): Promise<Pair> {
      const { frames, payloadOffset } = framesFor(spec);
      const [pub, sub] = await Promise.all([
        openRawConnection(spec.port, spec.protocolVersion),
        openRawConnection(spec.port, spec.protocolVersion),
      ]);
      await subscribe(sub, spec);
      receive(sub, spec.protocolVersion === 5, onMessage);

      const socket = pub.socket;
      const pending: ((() => void) | undefined)[] = new Array<(() => void) | undefined>(65536);
      const drainWaiters: (() => void)[] = [];
      const acks = new AckBatch(pub);
      socket.on('drain', () => { for (const done of drainWaiters.splice(0)) done(); });
      pub.onFrame = (header, bytes, bodyStart) => {
        const id = ((bytes[bodyStart] as number) << 8) | (bytes[bodyStart + 1] as number);
        if (header === PUBREC) {
          acks.add(PUBREL, bytes[bodyStart] as number, bytes[bodyStart + 1] as number);
        } else if (header === PUBACK || header === PUBCOMP) {
          const done = pending[id];
          if (done !== undefined) { pending[id] = undefined; done(); }
        }
      };
      pub.onChunkEnd = () => acks.flush();
      let corked = false;
      const qos = spec.qos;
      return {
        publish(seq, run, done) {
          const index = seq % frames.length;
          const frame = frames[index] as Buffer;
          stamp(frame, payloadOffset[index] as number, seq, run);
          if (!corked) { socket.cork(); corked = true; }
          if (qos > 0) pending[(index % 65535) + 1] = done;
          const ok = socket.write(frame);
          if (qos === 0) {
            if (ok) done(); else drainWaiters.push(done);
          }
        },
        flush() {
          if (corked) { corked = false; socket.uncork(); }
        },
        async close() { await Promise.all([pub.close(), sub.close()]); },
      };
    },
  };
}

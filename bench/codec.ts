/**
 * Codec throughput: rx-mqtt's encode / Framer + decode against mqtt-packet's
 * generate / parser, on the same packets, in one process and one run.
 *
 *   npm run bench:codec                 full run (warm-up, 7 rounds, median)
 *   npm run bench:codec -- --smoke      very short run for CI: 1 round, 2% of the packets
 *   npm run bench:codec -- --rounds 11 --scale 2
 *
 * Decode is measured from bytes to packet objects, framing included on both sides:
 * the same buffer of many frames is fed in 64 KiB chunks (as a socket delivers them)
 * to a fresh `Framer` + `decode`, and to a fresh mqtt-packet `parser` counting its
 * 'packet' events. Encode is one `encode` / `mqttPacket.generate` call per packet.
 * Every result feeds a checksum that is printed, so no work can be optimised away.
 * Prints numbers only; asserts nothing.
 */
import * as mqttPacket from 'mqtt-packet';
import { decode } from '../src/packets/decode.js';
import { encode } from '../src/packets/encode.js';
import { Framer } from '../src/packets/framer.js';
import type { Packet, ProtocolVersion } from '../src/packets/packet.js';
import { median } from './support/stats.js';
import { count, fixed, renderTable } from './support/table.js';

/** One row of the table: a packet, its protocol version, and how many go in a round. */
interface Case {
  name: string;
  version: ProtocolVersion;
  packet: Packet;
  /** Packets per measured round at scale 1. */
  perRound: number;
}

const CHUNK = 64 * 1024;

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const CASES: Case[] = [
  {
    name: 'PUBLISH QoS 0, 64 B (3.1.1)',
    version: 4,
    packet: { cmd: 'publish', topic: 'bench/sensors/temperature', payload: bytes(64, 1), qos: 0, dup: false, retain: false },
    perRound: 200_000,
  },
  {
    name: 'PUBLISH QoS 1, 4 KiB (3.1.1)',
    version: 4,
    packet: { cmd: 'publish', topic: 'bench/files/chunk', payload: bytes(4096, 2), qos: 1, dup: false, retain: false, messageId: 4242 },
    perRound: 20_000,
  },
  {
    name: 'PUBLISH QoS 1, user properties (5.0)',
    version: 5,
    packet: {
      cmd: 'publish',
      topic: 'bench/rpc/request',
      payload: bytes(128, 3),
      qos: 1,
      dup: false,
      retain: false,
      messageId: 7,
      properties: {
        contentType: 'application/json',
        correlationData: bytes(16, 4),
        userProperties: { tenant: 'acme', region: 'eu-west-1', trace: '4bf92f3577b34da6a3ce929d0e0e4736' },
      },
    },
    perRound: 100_000,
  },
  {
    name: 'SUBSCRIBE, 10 filters (3.1.1)',
    version: 4,
    packet: {
      cmd: 'subscribe',
      messageId: 99,
      subscriptions: Array.from({ length: 10 }, (_, i) => ({ topic: `bench/site-${i}/+/status/#`, qos: (i % 3) as 0 | 1 | 2 })),
    },
    perRound: 100_000,
  },
];

interface Options {
  rounds: number;
  warmup: number;
  scale: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { rounds: 7, warmup: 2, scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${arg} needs a positive number`);
      return v;
    };
    if (arg === '--smoke') Object.assign(options, { rounds: 1, warmup: 0, scale: 0.02 });
    else if (arg === '--rounds') options.rounds = Math.round(value());
    else if (arg === '--warmup') options.warmup = Math.round(value());
    else if (arg === '--scale') options.scale = value();
    else if (arg === '--help') {
      console.log('npm run bench:codec -- [--smoke] [--rounds N (7)] [--warmup N (2)] [--scale F (1)]');
      process.exit(0);
    } else throw new Error(`unknown option ${String(arg)}`);
  }
  return options;
}

/** Our packet as mqtt-packet's generator takes it: Buffers where we have Uint8Arrays. */
function toMqttPacket(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(toMqttPacket);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toMqttPacket(v)]));
  }
  return value;
}

/** The fields of a decoded packet (ours or mqtt-packet's) the checksum reads. */
interface Touched {
  cmd: string;
  messageId?: number;
  payload?: { length: number } | null;
  subscriptions?: unknown[];
}

/** A value read off every decoded packet, so decode's work is used. */
function touch(p: Touched): number {
  return p.cmd.length + (p.messageId ?? 0) + (p.payload?.length ?? 0) + (p.subscriptions?.length ?? 0);
}

let checksum = 0;

/** Runs `fn` once and returns its duration in seconds. */
function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Measured {
  /** Packets per second, median of the rounds. */
  pps: number;
  /** Megabytes (10⁶) of wire bytes per second, median of the rounds. */
  mbps: number;
}

function measure(options: Options, packets: number, frameBytes: number, fn: () => void): Measured {
  for (let i = 0; i < options.warmup; i++) fn();
  const rates: number[] = [];
  for (let i = 0; i < options.rounds; i++) rates.push(packets / time(fn));
  const pps = median(rates);
  return { pps, mbps: (pps * frameBytes) / 1e6 };
}

function run(options: Options): void {
  const rows: string[][] = [];
  for (const c of CASES) {
    const n = Math.max(100, Math.round(c.perRound * options.scale));
    const frame = encode(c.packet, c.version);
    const mp = toMqttPacket(c.packet) as mqttPacket.Packet;
    const mpFrame = mqttPacket.generate(mp, { protocolVersion: c.version });
    if (mpFrame.length !== frame.length) console.warn(`${c.name}: mqtt-packet writes ${mpFrame.length} bytes, rx-mqtt ${frame.length}`);

    const stream = new Uint8Array(frame.length * n);
    for (let i = 0; i < n; i++) stream.set(frame, i * frame.length);
    const chunks: Uint8Array[] = [];
    for (let pos = 0; pos < stream.length; pos += CHUNK) chunks.push(stream.subarray(pos, pos + CHUNK));
    const bufferChunks = chunks.map((ch) => Buffer.from(ch.buffer, ch.byteOffset, ch.length));

    const rxDecode = measure(options, n, frame.length, () => {
      const framer = new Framer();
      let seen = 0;
      for (const chunk of chunks) {
        for (const f of framer.push(chunk)) {
          checksum += touch(decode(f, c.version));
          seen++;
        }
      }
      if (seen !== n) throw new Error(`rx-mqtt decoded ${seen} of ${n} packets`);
    });
    const mpDecode = measure(options, n, frame.length, () => {
      const parser = mqttPacket.parser({ protocolVersion: c.version });
      let seen = 0;
      parser.on('packet', (p: Touched) => {
        checksum += touch(p);
        seen++;
      });
      parser.on('error', (err: Error) => {
        throw err;
      });
      for (const chunk of bufferChunks) parser.parse(chunk);
      if (seen !== n) throw new Error(`mqtt-packet parsed ${seen} of ${n} packets`);
    });
    const rxEncode = measure(options, n, frame.length, () => {
      for (let i = 0; i < n; i++) {
        const b = encode(c.packet, c.version);
        checksum += b.length + b[b.length - 1]!;
      }
    });
    const mpEncode = measure(options, n, frame.length, () => {
      for (let i = 0; i < n; i++) {
        const b = mqttPacket.generate(mp, { protocolVersion: c.version });
        checksum += b.length + b[b.length - 1]!;
      }
    });

    for (const [op, rx, mpm] of [
      ['decode', rxDecode, mpDecode],
      ['encode', rxEncode, mpEncode],
    ] as const) {
      rows.push([c.name, op, `${frame.length}`, count(rx.pps), fixed(rx.mbps, 1), count(mpm.pps), fixed(mpm.mbps, 1), `${fixed(rx.pps / mpm.pps, 2)}×`]);
    }
  }
  console.log(
    renderTable(
      ['packet', 'op', 'bytes', 'rx-mqtt pkt/s', 'rx-mqtt MB/s', 'mqtt-packet pkt/s', 'mqtt-packet MB/s', 'rx / mqtt-packet'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
}

const options = parseArgs(process.argv.slice(2));
console.log(
  `codec benchmark: node ${process.version}, ${options.rounds} round(s) (median), ${options.warmup} warm-up, scale ${options.scale}; ` +
    `decode includes framing (64 KiB chunks), MB = 10⁶ wire bytes`,
);
run(options);
console.log(`checksum ${checksum}`);

/** Command-line options of bench/e2e.ts. */
import type { QoS } from './driver.js';

/** Every client the bench knows, in table order. */
export const CLIENTS = ['rx-mqtt', 'mqttjs', 'mqttjs-nodelay', 'raw'] as const;

/** A client name. */
export type ClientName = (typeof CLIENTS)[number];

/** Parsed options. */
export interface BenchArgs {
  rounds: number;
  warmup: boolean;
  clients: ClientName[];
  qos: QoS[];
  sizes: number[];
  /** Messages per burst run for every row; undefined: the per-row defaults × scale. */
  messages: number | undefined;
  scale: number;
  window: number;
  /** QoS 0 only: most messages published but not yet received; 0 = open-loop flood. */
  qos0InTransit: number;
  paced: number;
  pacedIntervalMs: number;
  idleMs: number;
  protocolVersion: 4 | 5;
  rxInflight: number | undefined;
  /** Also run the rx-mqtt(batched) experiment (writes coalesced per tick). */
  rxBatch: boolean;
  brokerNoDelay: boolean;
}

/** Usage text. */
export const USAGE = `npm run bench:e2e -- [options]
  --rounds N           measured rounds per row, median reported (5)
  --smoke              very short run: 1 round, 5% of the messages, 50 paced, no warm-up
  --only LIST          clients, comma-separated: ${CLIENTS.join(',')} (all)
  --qos LIST           0,1,2 (all)
  --size LIST          payload sizes in bytes, k = KiB: 64,4k (both)
  --messages N         messages per burst run, every row (per-row defaults)
  --scale F            multiply the per-row default message counts (1)
  --window N           most publishes outstanding in a burst run, every client (100)
  --qos0-window N      QoS 0: most messages published but not yet received, 0 = flood (1000)
  --paced N            messages in the paced latency run, 0 = skip (1000)
  --paced-interval MS  pause after each paced message arrives (1)
  --idle-ms MS         stop waiting for QoS 0 stragglers after this quiet time (500)
  --protocol 4|5       MQTT 3.1.1 or 5 for every client (4)
  --rx-inflight N      rx-mqtt maxInflight override (its default)
  --rx-batch           also run rx-mqtt(batched): its socket writes of one tick coalesced
  --broker-nodelay     set_tcp_nodelay true on Mosquitto (its default: false)
  --no-warmup          skip the unmeasured warm-up run per client and row`;

function list<T>(value: string, parse: (item: string) => T): T[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '').map(parse);
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: not a number ≥ 0: ${value}`);
  return n;
}

function size(value: string): number {
  const match = /^(\d+)\s*(k|kb|kib)?$/i.exec(value);
  if (match === null) throw new Error(`--size: not a size: ${value}`);
  const bytes = Number(match[1]) * (match[2] !== undefined ? 1024 : 1);
  if (bytes < 16) throw new Error('--size: at least 16 bytes (the stamp)');
  return bytes;
}

/**
 * Parses argv (without node and script).
 * @param argv arguments
 * @returns the options
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    rounds: 5, warmup: true, clients: [...CLIENTS], qos: [0, 1, 2], sizes: [64, 4096],
    messages: undefined, scale: 1, window: 100, qos0InTransit: 1000, paced: 1000, pacedIntervalMs: 1, idleMs: 500,
    protocolVersion: 4, rxInflight: undefined, rxBatch: false, brokerNoDelay: false,
  };
  let smoke = false;
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    explicit.add(flag);
    switch (flag) {
      case '--rounds': args.rounds = Math.max(1, Math.round(positive(value(), flag))); break;
      case '--smoke': smoke = true; break;
      case '--only': args.clients = list(value(), (c) => {
        if (!(CLIENTS as readonly string[]).includes(c)) throw new Error(`--only: unknown client ${c}`);
        return c as ClientName;
      }); break;
      case '--qos': args.qos = list(value(), (q) => {
        if (q !== '0' && q !== '1' && q !== '2') throw new Error(`--qos: ${q}`);
        return Number(q) as QoS;
      }); break;
      case '--size': args.sizes = list(value(), size); break;
      case '--messages': args.messages = Math.max(1, Math.round(positive(value(), flag))); break;
      case '--scale': args.scale = positive(value(), flag); break;
      case '--window': args.window = Math.max(1, Math.min(65535, Math.round(positive(value(), flag)))); break;
      case '--qos0-window': args.qos0InTransit = Math.round(positive(value(), flag)); break;
      case '--paced': args.paced = Math.round(positive(value(), flag)); break;
      case '--paced-interval': args.pacedIntervalMs = positive(value(), flag); break;
      case '--idle-ms': args.idleMs = positive(value(), flag); break;
      case '--protocol': {
        const v = value();
        if (v !== '4' && v !== '5') throw new Error('--protocol: 4 or 5');
        args.protocolVersion = Number(v) as 4 | 5;
        break;
      }
      case '--rx-inflight': args.rxInflight = Math.max(1, Math.round(positive(value(), flag))); break;
      case '--rx-batch': args.rxBatch = true; break;
      case '--broker-nodelay': args.brokerNoDelay = true; break;
      case '--no-warmup': args.warmup = false; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (smoke) {
    if (!explicit.has('--rounds')) args.rounds = 1;
    if (!explicit.has('--scale')) args.scale = 0.05;
    if (!explicit.has('--paced')) args.paced = 50;
    if (!explicit.has('--no-warmup')) args.warmup = false;
  }
  return args;
}

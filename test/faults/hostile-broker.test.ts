/**
 * A misbehaving broker (a raw TCP server) against the real client over real sockets:
 * every kind of bad input ends in a typed error on `state$`, a reconnect per policy,
 * bounded memory, no crash, no unhandled rejection, and a QoS 1 publish queued
 * before the trouble that waits, then reaches the good broker behind it.
 *
 * Real sockets need real time: the client runs with a 300 ms connect timeout and
 * 20 ms reconnect delays, and every wait is bounded. Nothing asserts on time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lastValueFrom, timeout } from 'rxjs';
import { connect } from '../../src/index.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import { MqttProtocolError } from '../../src/packets/errors.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import type { PublishResult } from '../../src/protocol/publish-request.js';
import { MqttConnectionError, MqttTimeoutError } from '../../src/protocol/errors.js';
import {
  answer,
  bytesAfterDisconnect,
  connack,
  connackThen,
  flood,
  good,
  hugePacket,
  silent,
  startHostileBroker,
  type Behaviour,
  type HostileBroker,
  type HostileConnection,
} from '../support/hostile-broker.js';
import { lenPrefixed, pkt, props, str } from '../support/packet-bytes.js';

const MALFORMED = 0x81;
const PROTOCOL = 0x82;
const TOO_LARGE = 0x95;
const MB = 1024 * 1024;

// ---------------------------------------------------------------- process-wide spies

const escaped: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  escaped.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});
afterEach(() => {
  // Nothing thrown asynchronously, nothing an unhandled rejection (DESIGN.md).
  expect(escaped).toEqual([]);
});

// ---------------------------------------------------------------- helpers

/** Polls `check` until it holds; fails after `ms` (a bound on the wait, not a timing). */
async function until(check: () => boolean, what: string, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// A full GC on demand, so before/after figures are not noise (the flag only exposes `gc`).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap plus ArrayBuffers (socket buffers, payloads), after a full GC. */
function memory(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Samples `memory()` every 10 ms (without forcing GC) until stopped; reports the peak. */
function sampleMemory(): { stop(): number } {
  let peak = 0;
  const read = (): void => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  read();
  const handle = setInterval(read, 10);
  handle.unref();
  return {
    stop() {
      clearInterval(handle);
      read();
      return peak;
    },
  };
}

/** One client against one hostile server, with everything the assertions need. */
interface Run {
  readonly server: HostileBroker;
  readonly client: MqttClient;
  readonly states: ConnectionState[];
  readonly messages: string[];
  readonly queued: { result?: PublishResult; error?: unknown };
}

const runs: Run[] = [];

afterEach(async () => {
  for (const run of runs.splice(0)) {
    await lastValueFrom(run.client.end({ force: true }).pipe(timeout(2000)), { defaultValue: undefined });
    await run.server.close();
  }
});

const QUEUED_TOPIC = 'queued/1';
const QUEUED_PAYLOAD = 'survives the trouble';

/**
 * Starts the server with `script`, connects a client (fast reconnect, short connect
 * timeout, no jitter) and, before any connection exists, asks for a QoS 1 publish.
 */
async function start(script: Behaviour[], options: ClientOptions = {}): Promise<Run> {
  const server = await startHostileBroker(script);
  const client = connect(server.url, {
    clientId: 'hostile-test',
    keepalive: 0,
    connectTimeout: 300,
    reconnect: { initialDelay: 20, maxDelay: 50, factor: 1, jitter: 0 },
    random: () => 0,
    ...options,
  });
  const states: ConnectionState[] = [];
  const messages: string[] = [];
  const queued: Run['queued'] = {};
  client.state$.subscribe((s) => states.push(s));
  client.messages$.subscribe((m) => {
    if (!m.topic.startsWith('flood/')) messages.push(m.topic);
  });
  client.publish(QUEUED_TOPIC, QUEUED_PAYLOAD, { qos: 1 }).subscribe({
    next: (r) => (queued.result = r),
    error: (e: unknown) => (queued.error = e),
  });
  const run = { server, client, states, messages, queued };
  runs.push(run);
  return run;
}

/** The first `reconnecting` state. */
function firstTrouble(run: Run): Extract<ConnectionState, { status: 'reconnecting' }> | undefined {
  return run.states.find((s): s is Extract<ConnectionState, { status: 'reconnecting' }> => s.status === 'reconnecting');
}

/** Whether connection `index` of the server received our queued PUBLISH. */
function gotQueued(connection: HostileConnection | undefined): boolean {
  return (connection?.received ?? []).some(
    (p) => p.cmd === 'publish' && p.topic === QUEUED_TOPIC && new TextDecoder().decode(p.payload) === QUEUED_PAYLOAD,
  );
}

/**
 * The common ending of every case: the trouble surfaced as `reconnecting` (attempt 1,
 * the policy's 20 ms) with an error of `type` (and `reasonCode`), the client came
 * back by itself on a new connection, and the queued publish, never failed, was
 * delivered there and acknowledged.
 */
async function expectRecovered(
  run: Run,
  type: new (...args: never[]) => Error,
  reasonCode: number | undefined,
  goodConnection = 1,
): Promise<void> {
  await until(() => firstTrouble(run) !== undefined, 'a reconnecting state');
  const trouble = firstTrouble(run)!;
  expect(trouble.error).toBeInstanceOf(type);
  if (reasonCode !== undefined) expect(trouble.error).toMatchObject({ reasonCode });
  expect(trouble).toMatchObject({ attempt: 1, delay: 20 });
  await until(() => run.queued.result !== undefined || run.queued.error !== undefined, 'the queued publish to settle');
  expect(run.queued.error).toBeUndefined();
  expect(run.queued.result).toMatchObject({ reasonCode: 0 });
  expect(gotQueued(run.server.connections[goodConnection])).toBe(true);
  expect(run.states.at(-1)).toMatchObject({ status: 'connected' });
  expect(run.states.some((s) => s.status === 'closed')).toBe(false);
  expect(run.server.clientErrors).toEqual([]);
}

// ---------------------------------------------------------------- bad bytes

/** A bad answer: what the server sends, in which protocol version, and the code we expect. */
interface BadBytes {
  name: string;
  version: ProtocolVersion;
  /** Sent once connected (after a good CONNACK and our first packet), or instead of CONNACK. */
  when: 'after CONNACK' | 'instead of CONNACK';
  bytes: Uint8Array | Packet;
  reasonCode: number;
}

const a = (s: string): number[] => str(s);
const BAD: BadBytes[] = [
  {
    name: 'reserved fixed-header flags set on PUBACK (MQTT-2.2.2-1)',
    version: 4,
    when: 'after CONNACK',
    bytes: Uint8Array.of(0x41, 0x02, 0x00, 0x01),
    reasonCode: MALFORMED,
  },
  {
    name: 'reserved fixed-header flags set on CONNACK (MQTT-2.2.2-1)',
    version: 4,
    when: 'instead of CONNACK',
    bytes: Uint8Array.of(0x21, 0x02, 0x00, 0x00),
    reasonCode: MALFORMED,
  },
  {
    name: 'a remaining length over 4 bytes (MQTT-1.5.5-1)',
    version: 4,
    when: 'after CONNACK',
    bytes: Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00),
    reasonCode: MALFORMED,
  },
  {
    name: 'a remaining length over 4 bytes, MQTT 5 (MQTT-1.5.5-1)',
    version: 5,
    when: 'after CONNACK',
    bytes: Uint8Array.of(0x30, 0x80, 0x80, 0x80, 0x80, 0x01),
    reasonCode: MALFORMED,
  },
  {
    name: 'a remaining length longer than the packet (PUBACK with 3 bytes)',
    version: 4,
    when: 'after CONNACK',
    bytes: Uint8Array.of(0x40, 0x03, 0x00, 0x01, 0x00),
    reasonCode: MALFORMED,
  },
  {
    name: 'a remaining length shorter than the packet (CONNACK with 1 byte)',
    version: 4,
    when: 'instead of CONNACK',
    bytes: Uint8Array.of(0x20, 0x01, 0x00),
    reasonCode: MALFORMED,
  },
  {
    name: 'a PUBLISH with QoS 3 (MQTT-3.3.1-4)',
    version: 4,
    when: 'after CONNACK',
    bytes: pkt(0x36, a('t'), 0x00, 0x01),
    reasonCode: MALFORMED,
  },
  {
    name: 'a PUBLISH with QoS 3, MQTT 5 (MQTT-3.3.1-4)',
    version: 5,
    when: 'after CONNACK',
    bytes: pkt(0x36, a('t'), 0x00, 0x01, 0x00),
    reasonCode: MALFORMED,
  },
  {
    name: 'a PUBLISH topic that is not UTF-8 (MQTT-1.5.4-1)',
    version: 4,
    when: 'after CONNACK',
    bytes: pkt(0x30, lenPrefixed([0x61, 0xc3, 0x28])),
    reasonCode: MALFORMED,
  },
  {
    name: 'a PUBLISH topic with an encoded surrogate, MQTT 5 (MQTT-1.5.4-1)',
    version: 5,
    when: 'after CONNACK',
    bytes: pkt(0x30, lenPrefixed([0xed, 0xa0, 0x80]), props()),
    reasonCode: MALFORMED,
  },
  {
    name: 'an unknown property identifier in PUBLISH (MQTT 5)',
    version: 5,
    when: 'after CONNACK',
    bytes: pkt(0x30, a('t'), props([0x7f, 0x00, 0x00])),
    reasonCode: MALFORMED,
  },
  {
    name: 'an unknown property identifier in CONNACK (MQTT 5)',
    version: 5,
    when: 'instead of CONNACK',
    bytes: pkt(0x20, 0x00, 0x00, props([0x7f, 0x00, 0x00])),
    reasonCode: MALFORMED,
  },
  {
    name: 'a PUBLISH before CONNACK (MQTT-3.2.0-1)',
    version: 4,
    when: 'instead of CONNACK',
    bytes: { cmd: 'publish', topic: 't', payload: new Uint8Array(1), qos: 0, dup: false, retain: false },
    reasonCode: PROTOCOL,
  },
  {
    name: 'a second CONNACK on one connection (MQTT-3.2.0-2)',
    version: 4,
    when: 'after CONNACK',
    bytes: { cmd: 'connack', sessionPresent: false, returnCode: 0 },
    reasonCode: PROTOCOL,
  },
  {
    name: 'a DISCONNECT from the server in MQTT 3.1.1 (client → server only)',
    version: 4,
    when: 'after CONNACK',
    bytes: { cmd: 'disconnect' },
    reasonCode: PROTOCOL,
  },
];

describe('hostile broker: bad bytes', () => {
  it.each(BAD)('$name ($when, v$version): MqttProtocolError $reasonCode, reconnect, queued publish kept', async (c) => {
    const first = c.when === 'after CONNACK' ? connackThen(c.bytes) : answer(c.bytes);
    const run = await start([first, good()], { protocolVersion: c.version });
    await expectRecovered(run, MqttProtocolError, c.reasonCode);
    expect((firstTrouble(run)!.error as Error).message).not.toBe('');
    expect(run.server.accepted).toBe(2);
    // The client closed the bad connection itself (the server never does).
    await until(() => run.server.connections[0]!.socket.readableEnded || run.server.connections[0]!.socket.destroyed, 'the bad connection to close');
    if (c.version === 5 && c.when === 'after CONNACK') {
      // MQTT 5 §4.13.1: DISCONNECT with the reason code before closing.
      expect(run.server.connections[0]!.received).toContainEqual({ cmd: 'disconnect', reasonCode: c.reasonCode });
    }
  });

  it('bytes after a DISCONNECT (MQTT 5) are ignored: MqttConnectionError with its reason code, nothing delivered (MQTT-3.14.4-1)', async () => {
    const after = pkt(0x30, a('after/disconnect'), props(), 0x68, 0x69);
    const qos3 = pkt(0x36, a('t'), 0x00, 0x01, 0x00);
    const run = await start([bytesAfterDisconnect(0x8b, concatBytes(after, qos3)), good()], { protocolVersion: 5 });
    await expectRecovered(run, MqttConnectionError, 0x8b);
    expect(run.messages).toEqual([]);
    // Nothing goes back after the server's DISCONNECT: the client just closes.
    expect(run.server.connections[0]!.received.filter((p) => p.cmd !== 'publish')).toEqual([]);
  });
});

/**
 * Packets that arrive in the same TCP segment as a framing error (a remaining length
 * over 4 bytes, a packet over maxPacketSize) come before it in the stream: they are
 * whole and valid, and must be acted on before the connection is dropped.
 */
describe('hostile broker: valid packets ahead of a framing error in one segment', () => {
  const BAD_VARINT = Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01);

  it('a PUBACK just before the bad bytes still settles the publish: it is not sent again after the reconnect', async () => {
    const puback = (_v: ProtocolVersion, trigger: Packet | undefined): Packet => ({
      cmd: 'puback',
      messageId: (trigger as Extract<Packet, { cmd: 'publish' }>).messageId!,
    });
    const run = await start([connackThen(puback, BAD_VARINT), good()]);
    await until(() => firstTrouble(run) !== undefined, 'a reconnecting state');
    expect(firstTrouble(run)!.error).toMatchObject({ reasonCode: MALFORMED });
    await until(() => run.server.accepted === 2 && run.states.at(-1)?.status === 'connected', 'the reconnect');
    await until(() => run.queued.result !== undefined || run.queued.error !== undefined, 'the queued publish to settle');
    expect(run.queued.result).toMatchObject({ reasonCode: 0 });
    // Expected: settled by the first connection's PUBACK, so the good broker never sees it.
    expect(gotQueued(run.server.connections[1])).toBe(false);
  });

  it('a DISCONNECT (MQTT 5) just before the bad bytes is the reason reported: MqttConnectionError 0x8b, not 0x81 (MQTT-3.14.4-1)', async () => {
    const run = await start([bytesAfterDisconnect(0x8b, BAD_VARINT), good()], { protocolVersion: 5 });
    await expectRecovered(run, MqttConnectionError, 0x8b);
  });

  it('a CONNACK just before the bad bytes is processed: the client was connected before it reconnects', async () => {
    const run = await start([answer(connack, BAD_VARINT), good()]);
    await expectRecovered(run, MqttProtocolError, MALFORMED);
    const statuses = run.states.map((s) => s.status);
    expect(statuses.slice(0, 3)).toEqual(['connecting', 'connected', 'reconnecting']);
  });
});

// ---------------------------------------------------------------- silence

describe('hostile broker: silence', () => {
  it('never answering CONNACK: MqttTimeoutError after connectTimeout, attempt counted, then recovered', async () => {
    const run = await start([silent(), silent(), good()]);
    await expectRecovered(run, MqttTimeoutError, undefined, 2);
    const troubles = run.states.filter((s) => s.status === 'reconnecting');
    // Two failed attempts in a row: attempt 1 then 2, delays per the policy (factor 1: 20, 20).
    expect(troubles.slice(0, 2)).toMatchObject([
      { attempt: 1, delay: 20 },
      { attempt: 2, delay: 20 },
    ]);
    expect(run.states.filter((s) => s.status === 'connecting').map((s) => (s as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(run.server.accepted).toBe(3);
  });

  it('a connection refused at the TCP level is retried like any other failure (MqttConnectionError)', async () => {
    const dead = await startHostileBroker([good()]);
    const url = dead.url;
    await dead.close();
    const client = connect(url, {
      keepalive: 0,
      reconnect: { initialDelay: 20, maxDelay: 20, factor: 1, jitter: 0 },
      random: () => 0,
    });
    const states: ConnectionState[] = [];
    client.state$.subscribe((s) => states.push(s));
    try {
      await until(() => states.filter((s) => s.status === 'reconnecting').length >= 2, 'two reconnecting states');
      const trouble = states.find((s) => s.status === 'reconnecting') as Extract<ConnectionState, { status: 'reconnecting' }>;
      expect(trouble.error).toBeInstanceOf(MqttConnectionError);
      expect(trouble.error.message).toMatch(/ECONNREFUSED/);
    } finally {
      await lastValueFrom(client.end({ force: true }).pipe(timeout(2000)), { defaultValue: undefined });
    }
  });
});

// ---------------------------------------------------------------- size and volume

describe('hostile broker: bounded memory', () => {
  it.each([4, 5] as const)(
    'an announced 200 MB PUBLISH over maxPacketSize is refused from its fixed header (0x95), v%s',
    async (version) => {
      const before = memory();
      const run = await start([hugePacket(200 * MB), good()], { protocolVersion: version, maxPacketSize: MB });
      await expectRecovered(run, MqttProtocolError, TOO_LARGE);
      const growth = memory() - before;
      record(`200 MB announced, maxPacketSize 1 MB, v${version}: growth ${(growth / MB).toFixed(1)} MB`);
      expect(growth).toBeLessThan(50 * MB);
      if (version === 5) {
        // MQTT 5: we told the server our limit, and say why we leave.
        expect(run.server.connections[0]!.connect.properties?.maximumPacketSize).toBe(MB);
        expect(run.server.connections[0]!.received).toContainEqual({ cmd: 'disconnect', reasonCode: TOO_LARGE });
      }
    },
  );

  it('an announced 200 MB PUBLISH under the default limit costs little while waiting; keepalive then gives up (MqttTimeoutError)', async () => {
    const before = memory();
    const sampler = sampleMemory();
    let peak: number;
    try {
      const run = await start([hugePacket(200 * MB), good()], { keepalive: 1 });
      // The client holds the start of the packet and waits for the rest, which never
      // comes; the PINGRESP can't come either (it would be part of the body).
      await expectRecovered(run, MqttTimeoutError, undefined);
    } finally {
      peak = sampler.stop();
    }
    const growth = peak - before;
    record(`200 MB announced, default maxPacketSize: peak growth ${(growth / MB).toFixed(1)} MB`);
    expect(growth).toBeLessThan(50 * MB);
  });

  it('a flood of 100,000 QoS 1 PUBLISH whose PUBACKs are never read: bounded memory, every message delivered once, recovered after the cut', async () => {
    const COUNT = 100_000;
    let floodDone = false;
    const before = memory();
    const run = await start([flood({ count: COUNT, payloadBytes: 64, onDone: () => (floodDone = true) }), good()]);
    // One byte per message number: counts deliveries without holding the messages.
    const seen = new Uint8Array(COUNT);
    let delivered = 0;
    run.client.messages$.subscribe((m) => {
      if (!m.topic.startsWith('flood/')) return;
      seen[Number(m.topic.slice(6))]++;
      delivered++;
    });
    const sampler = sampleMemory();
    let peak: number;
    try {
      await until(() => delivered >= COUNT, `${COUNT} messages delivered`, 20_000);
    } finally {
      peak = sampler.stop();
    }
    expect(floodDone).toBe(true);
    expect(seen.every((n) => n === 1)).toBe(true);
    const growth = peak - before;
    record(`flood of ${COUNT} QoS 1 × 64 B (${((COUNT * 80) / MB).toFixed(1)} MB on the wire), acks never read: peak growth ${(growth / MB).toFixed(1)} MB`);
    expect(growth).toBeLessThan(50 * MB);
    // The server gives up on the connection: the client comes back, the queued publish goes through.
    run.server.connections[0]!.socket.destroy();
    await expectRecovered(run, MqttConnectionError, undefined);
  }, 30_000);
});

// ---------------------------------------------------------------- figures

const figures: string[] = [];
/** Keeps a measured figure for the summary printed after the file. */
function record(line: string): void {
  figures.push(line);
}
afterAll(() => {
  if (figures.length > 0) process.stdout.write(`\nhostile-broker figures:\n  ${figures.join('\n  ')}\n`);
});

function concatBytes(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

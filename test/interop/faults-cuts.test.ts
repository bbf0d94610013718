/**
 * Connections cut, a broker restarted, a network stalled, against Mosquitto: QoS 1
 * loses nothing, QoS 2 delivers exactly once (with a session on both ends), and the
 * client finds its way back by itself. Our client sits behind the fault proxy; the
 * peer on the other side (mosquitto_sub, mosquitto_pub or another client of ours)
 * talks to Mosquitto directly, so only our side suffers the faults.
 *
 * Real sockets, real time: every wait is bounded, nothing asserts on time. The
 * figures (cuts, reconnects, duplicates, losses) are printed after the file and
 * copied into docs/reliability.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lastValueFrom, timeout } from 'rxjs';
import { connect } from '../../src/index.js';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { MqttClient } from '../../src/client/mqtt-client.js';
import type { QoS } from '../../src/packets/packet.js';
import type { ConnectionState } from '../../src/protocol/connection-state.js';
import { MqttConnectionError, MqttTimeoutError } from '../../src/protocol/errors.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto.js';

const MESSAGES = 1000;
const CUTS = 5;
const SEED = 20240607;

// ---------------------------------------------------------------- helpers

/** Polls `check` until it holds; fails after `ms` with `what` (a bound, not a timing). */
async function until(check: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** mulberry32: a small seeded PRNG, so the cut moments are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts per payload `0`…`n-1`: what was lost, what came twice. */
function tally(received: readonly string[], n: number): { missing: number[]; duplicates: number; unexpected: string[] } {
  const counts = new Array<number>(n).fill(0);
  const unexpected: string[] = [];
  for (const p of received) {
    const i = Number(p);
    if (Number.isInteger(i) && i >= 0 && i < n && String(i) === p) counts[i]!++;
    else unexpected.push(p);
  }
  const missing = counts.flatMap((c, i) => (c === 0 ? [i] : []));
  const duplicates = counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0);
  return { missing, duplicates, unexpected };
}

/** A running mosquitto_sub, printing one payload per line. */
interface Sub {
  readonly lines: string[];
  stop(): Promise<void>;
}

function mosquittoSub(port: number, id: string, topic: string, qos: QoS): Sub {
  const child: ChildProcess = spawn(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-q', String(qos), '-c', '-i', id, '-t', topic, '-k', '5'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let rest = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    const parts = (rest + text).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  return {
    lines,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Messages go out in batches of 50, one batch every 10 ms: a stream, not one burst. */
const BATCH = 50;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs mosquitto_pub -l, feeding `lines` to its stdin in paced batches; resolves with its exit code. */
function mosquittoPubLines(port: number, topic: string, qos: QoS, lines: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', String(qos), '-t', topic, '-l'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
    void (async () => {
      for (let i = 0; i < lines.length; i += BATCH) {
        child.stdin?.write(lines.slice(i, i + BATCH).join('\n') + '\n');
        await sleep(10);
      }
      child.stdin?.end();
    })();
  });
}

/** Everything the figures need about one client's life. */
interface Tracked {
  readonly client: MqttClient;
  readonly states: ConnectionState[];
  /** DUP publishes sent (resends on a resumed session). */
  dupSent: number;
  /** Publishes sent, first sends and resends. */
  publishSent: number;
  /** PUBRELs sent (one per QoS 2 message, more when resent on a resumed session). */
  pubrelSent: number;
}

const clients: MqttClient[] = [];
const subs: Sub[] = [];

function track(url: string, options: ClientOptions): Tracked {
  const client = connect(url, {
    keepalive: 5,
    connectTimeout: 2000,
    reconnect: { initialDelay: 20, maxDelay: 200, factor: 2, jitter: 0 },
    random: () => 0,
    ...options,
  });
  clients.push(client);
  const tracked: Tracked = { client, states: [], dupSent: 0, publishSent: 0, pubrelSent: 0 };
  client.state$.subscribe((s) => tracked.states.push(s));
  client.packets$.subscribe(({ direction, packet }) => {
    if (direction === 'out' && packet.cmd === 'pubrel') tracked.pubrelSent++;
    if (direction !== 'out' || packet.cmd !== 'publish') return;
    tracked.publishSent++;
    if (packet.dup) tracked.dupSent++;
  });
  return tracked;
}

const connections = (t: Tracked): number => t.states.filter((s) => s.status === 'connected').length;
const connected = (t: Tracked): boolean => t.states.at(-1)?.status === 'connected';

/** Publishes `probe` on `topic` from `via` every 100 ms until `seen()` (a subscriber is ready). */
async function probeUntilReady(via: MqttClient, topic: string, seen: () => boolean): Promise<void> {
  await until(
    () => {
      if (!seen()) via.publish(topic, 'probe', { qos: 1 }).subscribe({ error: () => undefined });
      return seen();
    },
    () => `the subscriber on ${topic} to be ready`,
    10_000,
  );
}

/**
 * Publishes 0…n-1 at `qos` from `publisher`, in paced batches, calling `onAck` after
 * each result.
 */
function publishAll(
  publisher: MqttClient,
  topic: string,
  qos: QoS,
  onAck: (acked: number) => void,
): { acked: () => number; failed: unknown[] } {
  let acked = 0;
  const failed: unknown[] = [];
  void (async () => {
    for (let i = 0; i < MESSAGES; i++) {
      if (i > 0 && i % BATCH === 0) await sleep(10);
      publisher.publish(topic, String(i), { qos }).subscribe({
        next: () => onAck(++acked),
        error: (e: unknown) => failed.push(e),
      });
    }
  })();
  return { acked: () => acked, failed };
}

/**
 * Cuts every proxied connection `CUTS` times: k events (acks, messages) into each
 * connection of `t`, k seeded in [30, 120]. Counting per connection, not overall,
 * makes every cut hit a live connection even when a whole TCP read of events
 * arrives at once, and waiting for the next connection after each cut makes each
 * cut hit a new one.
 *
 * @returns `event()` to call per event, and `cuts()` made so far.
 */
function cutter(t: Tracked, proxy: FaultProxy, seed: number): { event(): void; cuts(): number } {
  const random = prng(seed);
  const at = Array.from({ length: CUTS }, () => 30 + Math.floor(random() * 91));
  let next = 0;
  let onThisConnection = 0;
  // Bytes that reached the client before the reset are still read after a cut: wait
  // for the next connection before counting again.
  let armed = true;
  t.client.state$.subscribe((st) => {
    if (st.status !== 'connected') return;
    onThisConnection = 0;
    armed = true;
  });
  return {
    event() {
      if (!armed) return;
      onThisConnection++;
      if (next < at.length && onThisConnection === at[next]) {
        next++;
        armed = false;
        proxy.cutAll();
      }
    },
    cuts: () => next,
  };
}

const figures: string[] = [];

// ---------------------------------------------------------------- the suite

describeWithMosquitto('faults against Mosquitto: cuts, restart, stall', () => {
  let broker: MosquittoBroker;
  let proxy: FaultProxy;
  let direct: string;
  const run = `${process.pid}`;

  beforeAll(async () => {
    broker = await startMosquitto({ unlimited: true, persistence: true });
    proxy = await startFaultProxy(broker.port);
    direct = `mqtt://127.0.0.1:${broker.port}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) {
      await lastValueFrom(client.end({ force: true }).pipe(timeout(3000)), { defaultValue: undefined });
    }
    for (const sub of subs.splice(0)) await sub.stop();
  });

  afterAll(async () => {
    await proxy?.close();
    await broker?.stop();
    if (figures.length > 0) process.stdout.write(`\nfaults-cuts figures:\n  ${figures.join('\n  ')}\n`);
  });

  describe.each([
    { qos: 1 as const, version: 4 as const },
    { qos: 2 as const, version: 5 as const },
  ])('our client publishing behind the proxy, QoS $qos, MQTT v$version', ({ qos, version }) => {
    it(`${MESSAGES} messages, all connections cut at ${CUTS} seeded moments: the persistent mosquitto_sub gets ${qos === 1 ? 'every one at least once' : 'every one exactly once'}`, async () => {
      const topic = `faults/pub/q${qos}`;
      const sub = mosquittoSub(broker.port, `sub-q${qos}-${run}`, topic, qos);
      subs.push(sub);
      const helper = track(direct, { clientId: `probe-q${qos}-${run}` });
      await probeUntilReady(helper.client, topic, () => sub.lines.includes('probe'));

      const session: ClientOptions =
        version === 5 ? { protocolVersion: 5, sessionExpiryInterval: 300 } : { protocolVersion: 4, clean: false };
      const publisher = track(proxy.url, { clientId: `pub-q${qos}-${run}`, ...session });
      const cut = cutter(publisher, proxy, SEED + qos);
      const cutsBefore = proxy.stats.cuts;
      const result = publishAll(publisher.client, topic, qos, () => cut.event());
      await until(
        () => result.acked() + result.failed.length === MESSAGES,
        () => `all publishes to settle (${result.acked()} acked, ${result.failed.length} failed)`,
      );
      const payloads = () => sub.lines.filter((l) => l !== 'probe');
      await until(
        () => tally(payloads(), MESSAGES).missing.length === 0,
        () => `mosquitto_sub to get every message (missing ${tally(payloads(), MESSAGES).missing.length})`,
        20_000,
      );
      // Let late duplicates arrive before counting them.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const t = tally(payloads(), MESSAGES);
      const cuts = proxy.stats.cuts - cutsBefore;
      figures.push(
        `publisher behind proxy, QoS ${qos}, v${version}: ${MESSAGES} sent, ${cuts} cuts, ${connections(publisher)} connections, ` +
          `${publisher.publishSent - MESSAGES} PUBLISH resends (${publisher.dupSent} with DUP)` +
          `${qos === 2 ? `, ${publisher.pubrelSent - MESSAGES} PUBREL resends` : ''}, received ${payloads().length}, ` +
          `lost ${t.missing.length}, duplicates ${t.duplicates}`,
      );
      expect(result.failed).toEqual([]);
      expect(cuts).toBe(CUTS);
      expect(connections(publisher)).toBe(CUTS + 1);
      expect(t.missing).toEqual([]);
      expect(t.unexpected).toEqual([]);
      if (qos === 2) expect(t.duplicates).toBe(0);
    }, 120_000);
  });

  describe.each([
    { qos: 1 as const, version: 4 as const, publisher: 'mosquitto_pub -l' },
    { qos: 2 as const, version: 4 as const, publisher: 'our client' },
    { qos: 2 as const, version: 5 as const, publisher: 'our client' },
  ])('our client receiving behind the proxy, QoS $qos, MQTT v$version ($publisher publishing)', ({ qos, version, publisher }) => {
    it(`${MESSAGES} messages, all connections cut at ${CUTS} seeded moments: our persistent subscriber gets ${qos === 1 ? 'every one at least once' : 'every one exactly once'}`, async () => {
      const topic = `faults/recv/q${qos}/v${version}`;
      const session: ClientOptions =
        version === 5 ? { protocolVersion: 5, sessionExpiryInterval: 300 } : { protocolVersion: 4, clean: false };
      const receiver = track(proxy.url, { clientId: `recv-q${qos}-v${version}-${run}`, ...session });
      const received: string[] = [];
      const duped: string[] = [];
      const cut = cutter(receiver, proxy, SEED + 10 * qos + version);
      const cutsBefore = proxy.stats.cuts;
      receiver.client.topic(topic, { qos }).subscribe((m) => {
        const text = new TextDecoder().decode(m.payload);
        if (text === 'probe') return;
        received.push(text);
        if (m.dup) duped.push(text);
        cut.event();
      });
      const helper = track(direct, { clientId: `probe-r-q${qos}-v${version}-${run}` });
      let probed = false;
      receiver.client.topic(topic, { qos }).subscribe((m) => {
        if (new TextDecoder().decode(m.payload) === 'probe') probed = true;
      });
      await probeUntilReady(helper.client, topic, () => probed);

      if (publisher === 'mosquitto_pub -l') {
        const code = await mosquittoPubLines(broker.port, topic, qos, Array.from({ length: MESSAGES }, (_, i) => String(i)));
        expect(code).toBe(0);
      } else {
        const result = publishAll(helper.client, topic, qos, () => undefined);
        await until(() => result.acked() === MESSAGES, () => `the publisher's ${MESSAGES} results (${result.acked()})`);
      }
      await until(
        () => tally(received, MESSAGES).missing.length === 0,
        () => `our receiver to get every message (missing ${tally(received, MESSAGES).missing.length}, cuts ${cut.cuts()})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const t = tally(received, MESSAGES);
      const cuts = proxy.stats.cuts - cutsBefore;
      figures.push(
        `receiver behind proxy, QoS ${qos}, v${version}, ${publisher} publishing: ${cuts} cuts, ${connections(receiver)} connections, ` +
          `received ${received.length} (${duped.length} with DUP), lost ${t.missing.length}, duplicates ${t.duplicates}`,
      );
      expect(cuts).toBe(CUTS);
      expect(receiver.states.filter((s) => s.status === 'connected').slice(1)).toEqual(
        Array(CUTS).fill(expect.objectContaining({ sessionPresent: true })),
      );
      expect(t.missing).toEqual([]);
      expect(t.unexpected).toEqual([]);
      if (qos === 2) expect(t.duplicates).toBe(0);
    }, 120_000);
  });

  it('a stalled connection is found by keepalive (1 s): the client reconnects by itself once the network carries again, and a QoS 1 publish made during the stall arrives', async () => {
    const topic = 'faults/stall';
    const watcher = track(direct, { clientId: `stall-watch-${run}` });
    const got: string[] = [];
    watcher.client.topic(topic, { qos: 1 }).subscribe((m) => got.push(new TextDecoder().decode(m.payload)));
    const client = track(proxy.url, { clientId: `stall-${run}`, keepalive: 1, connectTimeout: 1000 });
    await until(() => connected(client) && connected(watcher), () => 'both clients connected', 10_000);
    await probeUntilReady(watcher.client, topic, () => got.includes('probe'));

    proxy.stall(true);
    const stalledAt = Date.now();
    let settled: unknown;
    client.client.publish(topic, 'during the stall', { qos: 1 }).subscribe({
      next: (r) => (settled = r),
      error: (e: unknown) => (settled = e),
    });
    const lost = (): Extract<ConnectionState, { status: 'reconnecting' }> | undefined =>
      client.states.find((s): s is Extract<ConnectionState, { status: 'reconnecting' }> => s.status === 'reconnecting');
    await until(() => lost() !== undefined, () => 'the client to notice the stall', 10_000);
    const detectedMs = Date.now() - stalledAt;
    // Keepalive found it (no PINGRESP); the stalled proxy passes no close, so nothing else could.
    expect(lost()!.error).toBeInstanceOf(MqttTimeoutError);
    expect(lost()!.error.message).toMatch(/PINGRESP/);
    expect(settled).toBeUndefined(); // still waiting, not failed

    // Still stalled: the next attempt gets no CONNACK either (connectTimeout).
    await until(
      () => client.states.filter((s) => s.status === 'reconnecting').length >= 2,
      () => 'a second failed attempt while stalled',
      10_000,
    );
    const second = client.states.filter((s) => s.status === 'reconnecting')[1] as Extract<ConnectionState, { status: 'reconnecting' }>;
    expect(second.error).toBeInstanceOf(MqttTimeoutError);
    expect(second.error.message).toMatch(/CONNACK/);

    proxy.stall(false);
    const resumedAt = Date.now();
    await until(() => connected(client), () => 'the client to reconnect after the stall', 10_000);
    const backMs = Date.now() - resumedAt;
    await until(() => settled !== undefined, () => 'the publish made during the stall to settle', 10_000);
    expect(settled).toMatchObject({ reasonCode: 0 });
    await until(() => got.includes('during the stall'), () => 'the watcher to get the message', 10_000);
    figures.push(
      `stall, keepalive 1 s: detected after ${detectedMs} ms (${lost()!.error.message}); ` +
        `reconnected ${backMs} ms after the network came back; the message sent during the stall arrived ${got.filter((g) => g === 'during the stall').length}×`,
    );
  }, 60_000);

  it(`Mosquitto restarted (persistence on) in the middle of a QoS 1 stream of ${MESSAGES}: nothing lost once it is back`, async () => {
    const topic = 'faults/restart';
    const receiver = track(direct, { clientId: `restart-recv-${run}`, protocolVersion: 4, clean: false });
    const received: string[] = [];
    let probed = false;
    receiver.client.topic(topic, { qos: 1 }).subscribe((m) => {
      const text = new TextDecoder().decode(m.payload);
      if (text === 'probe') probed = true;
      else received.push(text);
    });
    const sub = mosquittoSub(broker.port, `restart-sub-${run}`, topic, 1);
    subs.push(sub);
    const publisher = track(direct, { clientId: `restart-pub-${run}`, protocolVersion: 4, clean: false });
    await probeUntilReady(publisher.client, topic, () => probed && sub.lines.includes('probe'));

    let restarting: Promise<void> | undefined;
    const restartAt = 200 + Math.floor(prng(SEED + 99)() * (MESSAGES - 400));
    const result = publishAll(publisher.client, topic, 1, (acked) => {
      if (restarting === undefined && acked >= restartAt) restarting = broker.restart();
    });
    await until(() => restarting !== undefined, () => 'the restart to begin');
    await restarting;
    await until(
      () => result.acked() + result.failed.length === MESSAGES,
      () => `all publishes to settle (${result.acked()} acked, ${result.failed.length} failed)`,
    );
    const subPayloads = () => sub.lines.filter((l) => l !== 'probe');
    await until(
      () => tally(received, MESSAGES).missing.length === 0 && tally(subPayloads(), MESSAGES).missing.length === 0,
      () =>
        `both receivers to get every message (ours missing ${tally(received, MESSAGES).missing.length}, ` +
        `mosquitto_sub missing ${tally(subPayloads(), MESSAGES).missing.length})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ours = tally(received, MESSAGES);
    const theirs = tally(subPayloads(), MESSAGES);
    figures.push(
      `Mosquitto restart after ${restartAt} acks, QoS 1: publisher ${connections(publisher)} connections, ` +
        `${publisher.publishSent - MESSAGES} resends (${publisher.dupSent} with DUP); our receiver lost ${ours.missing.length}, ` +
        `duplicates ${ours.duplicates}; mosquitto_sub lost ${theirs.missing.length}, duplicates ${theirs.duplicates}`,
    );
    expect(result.failed).toEqual([]);
    expect(connections(publisher)).toBeGreaterThanOrEqual(2);
    expect(connections(receiver)).toBeGreaterThanOrEqual(2);
    // Resumed: the persisted sessions survived the restart.
    expect(publisher.states.filter((s) => s.status === 'connected').at(-1)).toMatchObject({ sessionPresent: true });
    expect(receiver.states.filter((s) => s.status === 'connected').at(-1)).toMatchObject({ sessionPresent: true });
    expect(ours.missing).toEqual([]);
    expect(theirs.missing).toEqual([]);
    // The lost connection surfaced as a typed error on state$.
    const trouble = publisher.states.find((s) => s.status === 'reconnecting') as Extract<ConnectionState, { status: 'reconnecting' }>;
    expect(trouble.error).toBeInstanceOf(MqttConnectionError);
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defer, filter, firstValueFrom, lastValueFrom, of, timeout } from 'rxjs';
import { connect, type ConnectionState, type MqttClient, type ProtocolVersion } from '../../src/index.js';
import { clientPool } from '../support/client-pool.js';
import { collect } from '../support/collect.js';
import { startHostileBroker, type HostileBroker } from '../support/hostile-broker.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

const QUICK = { initialDelay: 200, maxDelay: 500, jitter: 0 };

/** Resolves with the first `connected` state on `server`. */
function connectedTo(client: MqttClient, server: string, ms = 10_000): Promise<ConnectionState> {
  return firstValueFrom(
    client.state$.pipe(
      filter((s) => s.status === 'connected' && s.server === server),
      timeout(ms),
    ),
  );
}

describeWithMosquitto('several servers: failover between two Mosquitto 2 brokers', () => {
  let first: MosquittoBroker;
  let second: MosquittoBroker;
  const pool = clientPool();
  beforeEach(async () => {
    [first, second] = await Promise.all([startMosquitto(), startMosquitto()]);
  });
  afterEach(async () => {
    await pool.endAll();
    await Promise.all([first.stop(), second.stop()]);
  });

  it.each([
    ['MQTT 5', 5],
    ['MQTT 3.1.1', 4],
  ] as [string, ProtocolVersion][])('%s: the first stops, the client goes on at the second; a QoS 1 publish queued meanwhile arrives there', async (_name, protocolVersion) => {
    const a = `mqtt://127.0.0.1:${first.port}`;
    const b = `mqtt://127.0.0.1:${second.port}`;
    const topic = uniqueTopic('failover');
    const watcher = pool.connect(b, { protocolVersion });
    await waitFor(watcher.state$, 'connected');
    const suback = nextPacket(watcher, 'suback');
    const arrived = collect(watcher.topic(topic, { qos: 1 }), 1);
    await suback;

    const client = pool.connect(a, { protocolVersion, servers: [b], reconnect: { ...QUICK, initialDelay: 1000, maxDelay: 1000 } });
    expect(await waitFor(client.state$, 'connected')).toMatchObject({ server: a });
    const reconnecting = waitFor(client.state$, 'reconnecting');
    await first.stop(); // SIGTERM to its PID
    await reconnecting;
    const published = lastValueFrom(client.publish(topic, 'queued while offline', { qos: 1 }));
    await connectedTo(client, b);

    expect(await published).toMatchObject({ reasonCode: 0 });
    const [message] = await arrived;
    expect(Buffer.from(message?.payload ?? []).toString()).toBe('queued while offline');
  });

  it('connect({ servers }): a server that refuses is skipped; state$ names each attempt\'s server', async () => {
    const a = `mqtt://127.0.0.1:${first.port}`;
    const b = `mqtt://127.0.0.1:${second.port}`;
    await first.stop();
    const client = connect({ servers: [a, b], reconnect: QUICK });
    try {
      const servers: string[] = [];
      client.state$.subscribe((s) => {
        if (s.status === 'connecting' || s.status === 'connected') servers.push(`${s.status} ${s.server}`);
      });
      await connectedTo(client, b);
      expect(servers.slice(-2)).toEqual([`connecting ${b}`, `connected ${b}`]);
    } finally {
      await lastValueFrom(client.end({ force: true }), { defaultValue: undefined });
    }
  });
});

describeWithMosquitto('server redirects (MQTT 5): a fake broker answers CONNACK 0x9C with a Server Reference to Mosquitto', () => {
  let mosquitto: MosquittoBroker;
  let redirector: HostileBroker;
  const pool = clientPool();
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    redirector = await startHostileBroker([
      (c) => {
        c.send({ cmd: 'connack', sessionPresent: false, reasonCode: 0x9c, properties: { serverReference: `127.0.0.1:${mosquitto.port}` } });
        c.end();
      },
    ]);
  });
  afterEach(() => pool.endAll());
  afterAll(async () => {
    await redirector.close();
    await mosquitto.stop();
  });

  it('with followRedirects, the client connects to Mosquitto at once and works there', async () => {
    const client = pool.connect(redirector.url, { protocolVersion: 5, followRedirects: true, reconnect: { initialDelay: 60_000 } });
    const states: ConnectionState[] = [];
    client.state$.subscribe((s) => states.push(s));
    const connected = await waitFor(client.state$, 'connected');
    expect(connected.server).toBe(`mqtt://127.0.0.1:${mosquitto.port}`);
    // Followed at once: not after the 60 s backoff.
    expect(states.find((s) => s.status === 'reconnecting')).toMatchObject({ delay: 0, error: { reasonCode: 0x9c } });
    const topic = uniqueTopic('redirected');
    const echo = collect(client.topic(topic, { qos: 1 }), 1);
    await lastValueFrom(client.publish(topic, 'here', { qos: 1 }));
    expect((await echo)[0]?.topic).toBe(topic);
  });

  it('without followRedirects, it stays with the refusing server and retries after the backoff', async () => {
    const before = redirector.connections.length;
    const client = pool.connect(redirector.url, { protocolVersion: 5, reconnect: { initialDelay: 60_000 } });
    const reconnecting = await waitFor(client.state$, 'reconnecting');
    expect(reconnecting.delay).toBeGreaterThan(40_000);
    expect(reconnecting.error).toMatchObject({ reasonCode: 0x9c, properties: { serverReference: `127.0.0.1:${mosquitto.port}` } });
    expect(redirector.connections.length).toBe(before + 1);
  });
});

describeWithMosquitto('credentials asked before every attempt (password_file changed between connections)', () => {
  let dir: string;
  let file: string;
  const setPassword = (password: string): void => {
    execFileSync('mosquitto_passwd', ['-b', '-c', file, 'alice', password], { stdio: 'ignore' });
  };
  const suite = useMosquitto(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-token-'));
    file = join(dir, 'passwd');
    setPassword('token-1');
    return { extraConfig: ['allow_anonymous false', `password_file ${file}`] };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['MQTT 5', 5],
    ['MQTT 3.1.1', 4],
    ['MQTT 3.1', 3],
  ] as [string, ProtocolVersion][])('%s: after a restart with a new password, the client reconnects with the token its function gives now', async (_name, protocolVersion) => {
    setPassword('token-1');
    await suite.broker.restart();
    let token = 'token-1';
    const asked: string[] = [];
    const client = suite.pool.connect(suite.url, {
      protocolVersion,
      username: 'alice',
      password: () => defer(() => {
        asked.push(token);
        return of(token);
      }),
      reconnect: QUICK,
    });
    await waitFor(client.state$, 'connected');
    expect(asked).toEqual(['token-1']);

    token = 'token-2';
    setPassword('token-2');
    const reconnecting = waitFor(client.state$, 'reconnecting');
    await suite.broker.restart(); // reads the new password file; the connection is kicked
    await reconnecting;
    await waitFor(client.state$, 'connected');
    expect(asked[0]).toBe('token-1');
    expect(asked.slice(1).every((t) => t === 'token-2')).toBe(true);
    expect(asked.length).toBeGreaterThanOrEqual(2);
  });

  it('MQTT 5: an expired token refused with 0x87 is retried with the next one, not fatal', async () => {
    setPassword('token-3');
    await suite.broker.restart();
    const tokens = ['stale', 'token-3'];
    const client = suite.pool.connect(suite.url, {
      protocolVersion: 5,
      username: 'alice',
      password: () => of(tokens.shift() ?? 'none'),
      reconnect: QUICK,
    });
    const refused = await waitFor(client.state$, 'reconnecting');
    expect(refused.error).toMatchObject({ reasonCode: 0x87 });
    await waitFor(client.state$, 'connected');
  });
});

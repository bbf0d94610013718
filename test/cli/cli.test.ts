import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedes, type AedesBroker } from '../support/aedes.js';
import { freePort } from '../support/free-port.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { killAll, removeCliBundle, runCli, startCli, startSubscriber } from './cli-process.js';

jest.setTimeout(20_000);

/** `rx-mqtt` run as a child process (its source, bundled by esbuild) against aedes. */
describe('rx-mqtt CLI against aedes', () => {
  let broker: AedesBroker;
  let server: string[];
  let dir: string;
  beforeAll(async () => {
    broker = await startAedes();
    server = ['-h', '127.0.0.1', '-p', String(broker.port)];
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-cli-'));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
    removeCliBundle();
  });

  it.each([0, 1, 2])('sub prints what pub sends at QoS %i; both exit 0', async (qos) => {
    const topic = uniqueTopic(`qos${qos}`);
    const sub = await startSubscriber([...server, '-t', topic, '-q', String(qos), '-C', '1']);
    const pub = await runCli(['pub', ...server, '-t', topic, '-m', `hello ${qos}`, '-q', String(qos)]);
    expect(pub).toMatchObject({ code: 0, stderr: '' });
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout.toString()).toBe(`hello ${qos}\n`);
    // the message arrived at the QoS asked for: acknowledged by the subscriber as such
    const ack = ['', 'PUBACK', 'PUBREC'][qos];
    if (ack !== '') expect(exit.stderr).toMatch(new RegExp(`→ \\+\\S+ ${ack}`));
    expect(exit.stderr).toMatch(new RegExp(`← \\+\\S+ PUBLISH +(messageId=\\d+ )?qos=${qos} `));
  });

  it('-v prints the topic; several -t share one process; -C counts messages', async () => {
    const a = uniqueTopic('a');
    const b = uniqueTopic('b');
    const sub = await startSubscriber([...server, '-t', a, '-t', `${b}/#`, '-v', '-C', '2', '-q', '1']);
    const pubs = await Promise.all([
      runCli(['pub', ...server, '-t', a, '-m', 'one', '-q', '1']),
      runCli(['pub', ...server, '-t', `${b}/x`, '-m', 'two words', '-q', '1']),
    ]);
    expect(pubs.map((p) => p.code)).toEqual([0, 0]);
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout.toString().split('\n').sort()).toEqual(['', `${a} one`, `${b}/x two words`]);
  });

  it('--json prints text as utf8 and binary (from -f) as base64', async () => {
    const topic = uniqueTopic('json');
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const file = join(dir, 'binary.bin');
    writeFileSync(file, binary);
    const sub = await startSubscriber([...server, '-t', topic, '--json', '-C', '2', '-q', '1']);
    expect((await runCli(['pub', ...server, '-t', topic, '-m', 'héllo ✓', '-q', '1'])).code).toBe(0);
    expect((await runCli(['pub', ...server, '-t', topic, '-f', file, '-q', '1'])).code).toBe(0);
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    const lines = exit.stdout.toString().trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { topic, qos: 1, retain: false, payload: 'héllo ✓', encoding: 'utf8' },
      { topic, qos: 1, retain: false, payload: binary.toString('base64'), encoding: 'base64' },
    ]);
  });

  it('pub -r retains the message: a later sub gets it with retain set', async () => {
    const topic = uniqueTopic('retained');
    expect((await runCli(['pub', ...server, '-t', topic, '-m', 'kept', '-r', '-q', '1'])).code).toBe(0);
    const exit = await runCli(['sub', ...server, '-t', topic, '--json', '-C', '1']);
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout.toString())).toMatchObject({ topic, payload: 'kept', retain: true });
  });

  it('pub -s sends all of stdin as one message, -l one message per line, -n an empty one', async () => {
    const topic = uniqueTopic('stdin');
    const sub = await startSubscriber([...server, '-t', topic, '--json', '-C', '4', '-q', '2']);
    const pubs = await Promise.all([
      runCli(['pub', ...server, '-t', topic, '-s', '-q', '2'], { stdin: 'all\nof it\n' }),
      runCli(['pub', ...server, '-t', topic, '-l', '-q', '2'], { stdin: 'line 1\r\nline 2\n' }),
      runCli(['pub', ...server, '-t', topic, '-n', '-q', '2']),
    ]);
    expect(pubs.map((p) => p.code)).toEqual([0, 0, 0]);
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    const payloads = exit.stdout
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { payload: string }).payload);
    expect([...payloads].sort()).toEqual(['', 'all\nof it\n', 'line 1', 'line 2']);
    expect(payloads.indexOf('line 1')).toBeLessThan(payloads.indexOf('line 2'));
  });

  it('--trace prints each packet both ways on stderr, and never the password', async () => {
    const topic = uniqueTopic('trace');
    const exit = await runCli(['pub', ...server, '-t', topic, '-m', 'x'.repeat(100), '-q', '2', '-u', 'alice', '-P', 'hunter2', '-i', 'tracer', '--trace']);
    expect(exit.code).toBe(0);
    expect(exit.stdout.toString()).toBe('');
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/).slice(0, 3).join(' ').replace(/\+\d+\.\d{3}s/, 't'))).toEqual([
      '→ t CONNECT',
      '← t CONNACK',
      '→ t PUBLISH',
      '← t PUBREC',
      '→ t PUBREL',
      '← t PUBCOMP',
      '→ t DISCONNECT',
    ]);
    expect(lines[0]).toMatch(/^→ \+\d+\.\d{3}s CONNECT +protocol=MQTT\/4 clientId="tracer" clean=true keepalive=60 username="alice" password=<hidden>$/);
    expect(lines[1]).toMatch(/CONNACK +sessionPresent=false returnCode=0 \(Connection Accepted\)$/);
    expect(lines[2]).toMatch(new RegExp(`PUBLISH +messageId=(\\d+) qos=2 topic="${topic}" payload\\(100 B\\)="x{64}"…$`));
    const id = /messageId=(\d+)/.exec(lines[2] ?? '')?.[1];
    for (const line of lines.slice(3, 6)) expect(line).toMatch(new RegExp(`messageId=${id}$`));
    expect(exit.stderr).not.toContain('hunter2');
  });

  it('exits 2 with the argument named and the usage on stderr for bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [['sub', '-t', 'a', '--bogus'], /^rx-mqtt sub: unknown option '--bogus'/],
      [['sub', '-q', '1'], /^rx-mqtt sub: missing -t\/--topic/],
      [['pub', '-t', 'a', '-m', 'x', '-q', '3'], /^rx-mqtt pub: -q\/--qos must be 0, 1 or 2, not '3'/],
      [['pub', '-t', 'a/#', '-m', 'x'], /^rx-mqtt pub: -t\/--topic: topic name "a\/#" contains the wildcard "#" \(MQTT-3\.3\.2-2\)/],
      [['pub', '-t', 'a'], /^rx-mqtt pub: missing -m\/--message/],
      [[], /^rx-mqtt: no command given/],
    ];
    const exits = await Promise.all(cases.map(([args]) => runCli(args)));
    exits.forEach((exit, i) => {
      expect(exit.code).toBe(2);
      expect(exit.stdout.toString()).toBe('');
      expect(exit.stderr).toMatch(cases[i]?.[1] ?? /never/);
      expect(exit.stderr).toMatch(/\n\nUsage: rx-mqtt/);
    });
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const exit = await runCli(['pub', '--help']);
    expect(exit.code).toBe(0);
    expect(exit.stdout.toString()).toMatch(/^Usage: rx-mqtt pub -t TOPIC/);
  });

  it('exits 1 at once when nothing listens (ECONNREFUSED), without retrying', async () => {
    const port = await freePort();
    const exit = await runCli(['sub', '-h', '127.0.0.1', '-p', String(port), '-t', 'a', '-d']);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toBe(`rx-mqtt: cannot connect to mqtt://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it('exits 1 when -f names a file that cannot be read', async () => {
    const exit = await runCli(['pub', ...server, '-t', uniqueTopic('nofile'), '-f', join(dir, 'missing.bin')]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/^rx-mqtt: cannot read -f\/--file: ENOENT/);
  });

  it('sub -W exits 3 when the time runs out before -C messages came', async () => {
    const exit = await runCli(['sub', ...server, '-t', uniqueTopic('timeout'), '-C', '1', '-W', '0.3', '-d']);
    expect(exit.code).toBe(3);
    expect(exit.stdout.toString()).toBe('');
    expect(exit.stderr).toMatch(/\nrx-mqtt: timed out after 0\.3 s \(-W\); 0 message\(s\) received\n→ \+\S+ DISCONNECT\n$/);
  });

  it('SIGINT ends sub cleanly (DISCONNECT sent) with status 0', async () => {
    const sub = await startSubscriber([...server, '-t', uniqueTopic('sigint')]);
    sub.process.kill('SIGINT');
    const exit = await sub.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.stderr.trimEnd().split('\n').pop()).toMatch(/^→ \+\S+ DISCONNECT$/);
  });

  it('SIGINT stops pub -l (stdin still open) with status 130, after DISCONNECT', async () => {
    const pub = startCli(['pub', ...server, '-t', uniqueTopic('pub-sigint'), '-l', '-d'], { keepStdinOpen: true });
    pub.process.stdin?.write('first\n');
    await pub.waitFor(/PUBLISH/);
    pub.process.kill('SIGINT');
    const exit = await pub.exited;
    expect(exit).toMatchObject({ code: 130, signal: null });
    expect(exit.stderr.trimEnd().split('\n').pop()).toMatch(/^→ \+\S+ DISCONNECT$/);
  });

  it('ends with status 1 when the broker drops the connection (no reconnect)', async () => {
    const sub = startCli(['sub', ...server, '-t', uniqueTopic('dropped'), '-d']);
    await sub.waitFor(/SUBACK/);
    await broker.dropClients();
    const exit = await sub.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/rx-mqtt: connection (lost|closed by the server)/);
  });
});

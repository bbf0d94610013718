import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, removeCliBundle, runCli, startProcess, startSubscriber } from '../cli/cli-process.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto.js';
import { uniqueTopic } from '../support/unique-topic.js';

jest.setTimeout(20_000);

/** `rx-mqtt` (a child process) against Mosquitto, with mosquitto_pub / mosquitto_sub as the other side. */
describeWithMosquitto('rx-mqtt CLI against Mosquitto 2', () => {
  let broker: MosquittoBroker;
  let secured: MosquittoBroker;
  let dir: string;
  let server: string[];
  let port: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-cli-interop-'));
    const passwords = join(dir, 'passwords');
    writeFileSync(passwords, '');
    const made = spawnSync('mosquitto_passwd', ['-b', passwords, 'alice', 's3cret']);
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr.toString()}`);
    [broker, secured] = await Promise.all([
      startMosquitto({ tls: true }),
      // the later allow_anonymous wins over the launcher's `allow_anonymous true`
      startMosquitto({ extraConfig: [`password_file ${passwords}`, 'allow_anonymous false'] }),
    ]);
    port = String(broker.port);
    server = ['-h', '127.0.0.1', '-p', port];
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await Promise.all([broker?.stop(), secured?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    removeCliBundle();
  });

  it.each([
    ['mqttv5', 'mqttv5'],
    ['mqttv311', 'mqttv311'],
    ['mqttv31', 'mqttv31'],
  ])('mosquitto_sub (%s) receives what rx-mqtt pub sends at QoS 2', async (version) => {
    const topic = uniqueTopic(`to-mosquitto-${version}`);
    // stdbuf: mosquitto_sub's stdout (its -d log included) is block-buffered in a pipe
    const sub = startProcess('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', port, '-t', topic, '-q', '2', '-C', '1', '-v', '-d', '-V', version]);
    await sub.waitFor(/received SUBACK/, 'stdout');
    const pub = await runCli(['pub', ...server, '-V', version, '-t', topic, '-m', 'from rx-mqtt', '-q', '2']);
    expect(pub).toMatchObject({ code: 0, stderr: '' });
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout.toString()).toContain(`${topic} from rx-mqtt\n`);
  });

  it('rx-mqtt sub -V 5 --json shows what mosquitto_pub sends, MQTT 5 properties included', async () => {
    const topic = uniqueTopic('from-mosquitto');
    const sub = await startSubscriber([...server, '-V', 'mqttv5', '-t', topic, '-q', '1', '-C', '1', '--json']);
    const pub = startProcess('mosquitto_pub', [
      '-h', '127.0.0.1', '-p', port, '-V', 'mqttv5', '-t', topic, '-m', 'hi', '-q', '1',
      '-D', 'publish', 'content-type', 'text/plain', '-D', 'publish', 'user-property', 'k', 'v',
      '-D', 'publish', 'correlation-data', 'abc',
    ]);
    expect((await pub.exited).code).toBe(0);
    const exit = await sub.exited;
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout.toString())).toEqual({
      topic,
      qos: 1,
      retain: false,
      payload: 'hi',
      encoding: 'utf8',
      properties: {
        contentType: 'text/plain',
        userProperties: { k: 'v' },
        correlationData: Buffer.from('abc').toString('base64'),
        subscriptionIdentifier: 1, // the client's own, for routing (MQTT-3.3.4-3)
      },
    });
  });

  it('rx-mqtt pub -V 5 sends --content-type and --user-property; rx-mqtt sub -V 3.1 gets the retained message', async () => {
    const topic = uniqueTopic('retained');
    const pub = await runCli(['pub', ...server, '-V', '5', '-t', topic, '-m', 'kept', '-r', '-q', '1', '--content-type', 'text/plain', '--user-property', 'a=b', '-d']);
    expect(pub.code).toBe(0);
    expect(pub.stderr).toMatch(/PUBLISH +messageId=\d+ qos=1 retain topic="[^"]+" payload\(4 B\)="kept" properties=\{contentType="text\/plain" userProperties=\{"a":"b"\} topicAlias=1\}/); // MQTT 5 automatic topic alias
    const [v31, v5] = await Promise.all([
      runCli(['sub', ...server, '-V', 'mqttv31', '-t', topic, '--json', '-C', '1']),
      runCli(['sub', ...server, '-V', 'mqttv5', '-t', topic, '--json', '-C', '1']),
    ]);
    expect(v31.code).toBe(0);
    expect(JSON.parse(v31.stdout.toString())).toEqual({ topic, qos: 0, retain: true, payload: 'kept', encoding: 'utf8' });
    expect(JSON.parse(v5.stdout.toString())).toMatchObject({ retain: true, properties: { contentType: 'text/plain', userProperties: { a: 'b' } } });
    await runCli(['pub', ...server, '-t', topic, '-n', '-r']); // clear it
  });

  it('exits 1 naming the refusal when the password is wrong (CONNACK 5 / 0x87), 0 when right', async () => {
    const at = ['-h', '127.0.0.1', '-p', String(secured.port), '-t', uniqueTopic('auth'), '-m', 'x'];
    const [v4, v5, right] = await Promise.all([
      runCli(['pub', ...at, '-u', 'alice', '-P', 'wrong', '-d']),
      runCli(['pub', ...at, '-u', 'alice', '--password', 'wrong', '-V', '5']),
      runCli(['pub', ...at, '-L', `mqtt://alice:s3cret@127.0.0.1:${secured.port}`, '-q', '1']),
    ]);
    expect(v4.code).toBe(1);
    expect(v4.stderr).toMatch(/← \+\S+ CONNACK +sessionPresent=false returnCode=5 \(Connection Refused, not authorized\)\n/);
    expect(v4.stderr).toMatch(/\nrx-mqtt: connection refused by the broker: Connection Refused, not authorized \(return code 5\)\n$/);
    expect(v4.stderr).not.toContain('wrong');
    expect(v5).toMatchObject({ code: 1, stderr: 'rx-mqtt: connection refused by the broker: Not authorized (reason code 0x87)\n' });
    expect(right).toMatchObject({ code: 0, stderr: '' });
  });

  it('connects over TLS with --cafile (verified), and refuses an unknown CA', async () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, broker.ca ?? '');
    const topic = uniqueTopic('tls');
    const tls = ['-L', `mqtts://127.0.0.1:${broker.tlsPort}`, '-t', topic];
    const sub = await startSubscriber([...tls, '--cafile', ca, '-C', '1']);
    expect((await runCli(['pub', ...tls, '--cafile', ca, '-m', 'secure', '-q', '1'])).code).toBe(0);
    expect((await sub.exited).stdout.toString()).toBe('secure\n');
    const unverified = await runCli(['pub', ...tls, '-m', 'x']);
    expect(unverified.code).toBe(1);
    expect(unverified.stderr).toMatch(/^rx-mqtt: cannot connect to mqtts:\/\/127\.0\.0\.1:\d+: .*(certificate|self.signed)/i);
  });
});

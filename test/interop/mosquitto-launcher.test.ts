import { spawn, spawnSync } from 'node:child_process';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { CONNACK_ACCEPTED, exchangeConnect } from '../support/mqtt-bytes.js';

/** Runs a command to its end; resolves with its exit code and stdout. */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (stdout += text));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

describeWithMosquitto('mosquitto launcher (test/support/mosquitto.ts)', () => {
  let broker: MosquittoBroker;
  beforeAll(async () => {
    broker = await startMosquitto({ tls: true });
  });
  afterAll(() => broker.stop());

  it('answers a hand-made CONNECT with CONNACK accepted on the plain listener', async () => {
    expect(await exchangeConnect(broker.port)).toEqual(CONNACK_ACCEPTED);
  });

  it('answers a hand-made CONNECT with CONNACK accepted on the TLS listener, trusting the generated CA', async () => {
    expect(broker.tlsPort).toEqual(expect.any(Number));
    expect(await exchangeConnect(broker.tlsPort ?? 0, broker.ca)).toEqual(CONNACK_ACCEPTED);
  });

  it('has mosquitto_pub and mosquitto_sub on PATH, and they talk through the broker', async () => {
    expect(spawnSync('mosquitto_pub', ['--help']).error).toBeUndefined();
    const port = String(broker.port);
    const sub = run('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', 'launcher/+', '-C', '1', '-W', '10', '-q', '1']);
    // Publish (retained, so a subscriber that is not yet subscribed still gets it).
    const pub = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-t', 'launcher/test', '-m', 'hello', '-q', '1', '-r']);
    expect(pub.code).toBe(0);
    expect(await sub).toEqual({ code: 0, stdout: 'hello\n' });
  });

  it('restart() serves again on the same port; with persistence a retained message survives', async () => {
    const persistent = await startMosquitto({ persistence: true });
    try {
      const port = String(persistent.port);
      const pub = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-t', 'kept', '-m', 'v1', '-q', '1', '-r']);
      expect(pub.code).toBe(0);
      await persistent.restart();
      const sub = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', 'kept', '-C', '1', '-W', '10']);
      expect(sub).toEqual({ code: 0, stdout: 'v1\n' });
    } finally {
      await persistent.stop();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { MqttClosedError, MqttConnectionError, type PacketEvent, type ProtocolVersion } from '../../src/index.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

/** BROKERS.md: Mosquitto answers a wrong password with "not authorized". */
const NOT_AUTHORIZED: Record<ProtocolVersion, number> = { 3: 5, 4: 5, 5: 0x87 };

describeWithMosquitto('user name and password on Mosquitto 2 (password_file, no anonymous)', () => {
  let dir: string;
  const suite = useMosquitto(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-passwd-'));
    const file = join(dir, 'passwd');
    execFileSync('mosquitto_passwd', ['-b', '-c', file, 'alice', 's3cret'], { stdio: 'ignore' });
    return { extraConfig: ['allow_anonymous false', `password_file ${file}`] };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each([
    ['MQTT 5', 5],
    ['MQTT 3.1.1', 4],
    ['MQTT 3.1', 3],
  ] as [string, ProtocolVersion][])('%s', (_name, protocolVersion) => {
    it('connects with the right password (options, and in the URL)', async () => {
      const client = suite.pool.connect(suite.url, { protocolVersion, username: 'alice', password: 's3cret' });
      await waitFor(client.state$, 'connected');
      const fromUrl = suite.pool.connect(`mqtt://alice:s3cret@127.0.0.1:${suite.broker.port}`, { protocolVersion });
      await waitFor(fromUrl.state$, 'connected');
    });

    it(`a wrong password is refused (CONNACK ${NOT_AUTHORIZED[protocolVersion]}): closed with MqttConnectionError, no retry`, async () => {
      const client = suite.pool.connect(suite.url, {
        protocolVersion,
        username: 'alice',
        password: 'wrong',
        reconnect: { initialDelay: 10, maxDelay: 10 },
      });
      const out: PacketEvent[] = [];
      client.packets$.subscribe((e) => {
        if (e.direction === 'out') out.push(e);
      });
      const stream = lastValueFrom(client.topic(uniqueTopic('refused')));
      const published = lastValueFrom(client.publish(uniqueTopic('refused'), 'x', { qos: 1 }));
      const states: string[] = [];
      client.state$.subscribe((s) => states.push(s.status));

      const closed = await waitFor(client.state$, 'closed');
      expect(closed.error).toBeInstanceOf(MqttConnectionError);
      expect((closed.error as MqttConnectionError).reasonCode).toBe(NOT_AUTHORIZED[protocolVersion]);
      expect(states).not.toContain('reconnecting');
      expect(out.filter((e) => e.packet.cmd === 'connect')).toHaveLength(1);
      // topic() fails with the client's error; an unsent publish fails as closed.
      await expect(stream).rejects.toBe(closed.error);
      await expect(published).rejects.toBeInstanceOf(MqttClosedError);
    });

    it('no credentials are refused the same way', async () => {
      const client = suite.pool.connect(suite.url, { protocolVersion });
      const closed = await waitFor(client.state$, 'closed');
      expect(closed.error).toBeInstanceOf(MqttConnectionError);
      expect((closed.error as MqttConnectionError).reasonCode).toBe(NOT_AUTHORIZED[protocolVersion]);
    });
  });
});

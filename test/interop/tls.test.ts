import { lastValueFrom } from 'rxjs';
import type { ProtocolVersion } from '../../src/index.js';
import { collect } from '../support/collect.js';
import { describeWithMosquitto } from '../support/interop-gate.js';
import { useMosquitto } from '../support/mosquitto-suite.js';
import { nextPacket } from '../support/next-packet.js';
import { uniqueTopic } from '../support/unique-topic.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(20_000);

/**
 * The codes and messages of an error and its cause chain, one line each. (Jest runs
 * tests in their own realm: Node's own errors may fail `instanceof Error` there, and a
 * client that re-wraps them keeps only the message; so both are looked at.)
 */
function failure(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    lines.push(`${String(code)}: ${String(message)}`);
  }
  return lines.join('\n');
}

/** What Node says of a certificate it cannot verify (the test CA is not trusted). */
const UNTRUSTED = /SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate in certificate chain/;

describeWithMosquitto('mqtts:// to Mosquitto 2 with a generated CA', () => {
  const suite = useMosquitto({ tls: true });
  /** The TLS listener's URL. */
  const tlsUrl = (): string => `mqtts://127.0.0.1:${suite.broker.tlsPort}`;

  it.each([5, 4] as ProtocolVersion[])('connects trusting the CA and round-trips QoS 1 and 2 (protocol version %i)', async (protocolVersion) => {
    const client = suite.pool.connect(tlsUrl(), { protocolVersion, tls: { ca: suite.broker.ca } });
    await waitFor(client.state$, 'connected');
    const topic = uniqueTopic('tls');
    const suback = nextPacket(client, 'suback');
    const messages = collect(client.topic(topic, { qos: 2 }), 2);
    await suback;
    await lastValueFrom(client.publish(topic, 'one', { qos: 1 }));
    await lastValueFrom(client.publish(topic, 'two', { qos: 2 }));
    expect((await messages).map((m) => [Buffer.from(m.payload).toString(), m.qos])).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
  });

  it('uses the TLS transport for mqtts:// (the plain port would not speak TLS)', async () => {
    const client = suite.pool.connect(`mqtts://127.0.0.1:${suite.broker.port}`, { tls: { ca: suite.broker.ca }, reconnect: false });
    const closed = await waitFor(client.state$, 'closed');
    expect(closed.error).toBeInstanceOf(Error);
  });

  it('without the CA: reconnecting with the certificate error, and retrying', async () => {
    const client = suite.pool.connect(tlsUrl(), { reconnect: { initialDelay: 50, maxDelay: 100, jitter: 0 } });
    const states: string[] = [];
    client.state$.subscribe((s) => states.push(s.status));
    const first = await waitFor(client.state$, 'reconnecting');
    expect(first.attempt).toBe(1);
    expect(failure(first.error)).toMatch(UNTRUSTED);
    await waitFor(client.state$, 'connecting');
    const second = await waitFor(client.state$, 'reconnecting');
    expect(second.attempt).toBe(2);
    expect(states).not.toContain('connected');
  });

  it('without the CA and with reconnect: false: closed with the certificate error', async () => {
    const client = suite.pool.connect(tlsUrl(), { reconnect: false });
    const topic = lastValueFrom(client.topic(uniqueTopic('never')));
    const closed = await waitFor(client.state$, 'closed');
    expect(failure(closed.error)).toMatch(UNTRUSTED);
    await expect(topic).rejects.toBeInstanceOf(Error);
  });
});

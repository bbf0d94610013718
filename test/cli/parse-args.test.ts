import { clientOptionsFromArgs } from '../../src/cli/client-options-from-args.js';
import type { PubCommand, SubCommand } from '../../src/cli/cli-command.js';
import { parseCliArgs } from '../../src/cli/parse-args.js';
import { UsageError } from '../../src/cli/usage-error.js';

const sub = (...args: string[]): SubCommand => parseCliArgs(['sub', ...args]) as SubCommand;
const pub = (...args: string[]): PubCommand => parseCliArgs(['pub', ...args]) as PubCommand;

function usageError(args: string[]): UsageError {
  try {
    parseCliArgs(args);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('parseCliArgs', () => {
  it('reads sub with defaults as mosquitto_sub has them', () => {
    expect(sub('-t', 'a/#')).toEqual({
      command: 'sub',
      url: 'mqtt://localhost:1883',
      protocolVersion: 4,
      keepalive: 60,
      clean: true,
      tls: { insecure: false },
      trace: false,
      topics: ['a/#'],
      qos: 0,
      format: 'payload',
    });
  });

  it('reads every sub flag, short and long', () => {
    expect(
      sub('-t', 'a', '--topic', 'b/+', '-q', '2', '-C', '5', '-W', '1.5', '-v', '-h', '10.0.0.1', '-p', '1884', '-V', 'mqttv5', '-i', 'me', '-u', 'bob', '-P', 'pw', '-k', '0', '-c', '-x', '30', '-d'),
    ).toEqual({
      command: 'sub',
      url: 'mqtt://10.0.0.1:1884',
      protocolVersion: 5,
      clientId: 'me',
      username: 'bob',
      password: 'pw',
      keepalive: 0,
      clean: false,
      sessionExpiryInterval: 30,
      tls: { insecure: false },
      trace: true,
      topics: ['a', 'b/+'],
      qos: 2,
      count: 5,
      timeoutMs: 1500,
      format: 'verbose',
    });
  });

  it('--json wins over -v', () => {
    expect(sub('-t', 'a', '-v', '--json').format).toBe('json');
  });

  it.each([
    ['mqttv31', 3],
    ['31', 3],
    ['mqttv311', 4],
    ['311', 4],
    ['MQTTv5', 5],
    ['5', 5],
  ])('-V %s is protocol version %i', (flag, version) => {
    expect(sub('-t', 'a', '-V', flag).protocolVersion).toBe(version);
  });

  it('takes the server from -L/--url, with -h and -p overriding its host and port', () => {
    expect(sub('-t', 'a', '-L', 'ws://broker.example').url).toBe('ws://broker.example/mqtt');
    expect(sub('-t', 'a', '--url', 'mqtts://u:p%40ss@broker.example', '-p', '9999').url).toBe('mqtts://u:p%40ss@broker.example:9999');
    expect(sub('-t', 'a', '-h', '::1').url).toBe('mqtt://[::1]:1883');
  });

  it('switches to mqtts://localhost:8883 with a TLS flag and no URL, as mosquitto does', () => {
    expect(sub('-t', 'a', '--cafile', 'ca.pem')).toMatchObject({ url: 'mqtts://localhost:8883', tls: { cafile: 'ca.pem', insecure: false } });
    expect(sub('-t', 'a', '--insecure').url).toBe('mqtts://localhost:8883');
  });

  it('-c in MQTT 5 without -x asks for a session that never expires, as mosquitto does', () => {
    expect(sub('-t', 'a', '-c', '-i', 'me', '-V', '5').sessionExpiryInterval).toBe(4294967295);
    expect(sub('-t', 'a', '-c', '-i', 'me').sessionExpiryInterval).toBeUndefined();
  });

  it('reads pub: message sources, retain, QoS, MQTT 5 properties', () => {
    expect(pub('-t', 'a/b', '-m', 'hi', '-r', '-q', '1')).toMatchObject({
      command: 'pub',
      topic: 'a/b',
      source: { kind: 'message', payload: 'hi' },
      retain: true,
      qos: 1,
    });
    expect(pub('-t', 'a', '-f', 'x.bin').source).toEqual({ kind: 'file', path: 'x.bin' });
    expect(pub('-t', 'a', '-s').source).toEqual({ kind: 'stdin' });
    expect(pub('-t', 'a', '-l').source).toEqual({ kind: 'lines' });
    expect(pub('-t', 'a', '-n').source).toEqual({ kind: 'null' });
    expect(pub('-t', 'a', '-m', '', '-V', '5', '--content-type', 'text/plain', '--user-property', 'k=v', '--user-property', 'k=w=2', '--user-property', 'z=').properties).toEqual({
      contentType: 'text/plain',
      userProperties: { k: ['v', 'w=2'], z: '' },
    });
  });

  it('reads the will flags', () => {
    expect(pub('-t', 'a', '-n', '--will-topic', 'gone', '--will-payload', 'bye', '--will-qos', '1', '--will-retain').will).toEqual({
      topic: 'gone',
      payload: 'bye',
      qos: 1,
      retain: true,
    });
  });

  it('answers --help and help with the usage text', () => {
    expect(parseCliArgs(['--help'])).toMatchObject({ command: 'help', text: expect.stringMatching(/^Usage: rx-mqtt <command>/) });
    expect(parseCliArgs(['help', 'pub'])).toMatchObject({ text: expect.stringMatching(/^Usage: rx-mqtt pub/) });
    expect(parseCliArgs(['sub', '--help'])).toMatchObject({ text: expect.stringMatching(/^Usage: rx-mqtt sub/) });
  });

  it.each<[string, string[], RegExp, string | undefined]>([
    ['no command', [], /^no command given$/, undefined],
    ['an unknown command', ['listen'], /^unknown command 'listen'/, undefined],
    ['an unknown flag', ['sub', '-t', 'a', '--bogus'], /^unknown option '--bogus'/, 'sub'],
    ['a positional argument', ['pub', '-t', 'a', 'hello'], /^unexpected argument 'hello'/, 'pub'],
    ['a flag without its value', ['sub', '-t'], /'-t, --topic <value>' argument missing/, 'sub'],
    ['a missing -t (sub)', ['sub', '-q', '1'], /^missing -t\/--topic/, 'sub'],
    ['a missing -t (pub)', ['pub', '-m', 'x'], /^missing -t\/--topic/, 'pub'],
    ['two pub topics', ['pub', '-t', 'a', '-t', 'b', '-m', 'x'], /^-t\/--topic: give one topic only/, 'pub'],
    ['QoS 3', ['sub', '-t', 'a', '-q', '3'], /^-q\/--qos must be 0, 1 or 2, not '3'/, 'sub'],
    ['a wildcard in a pub topic (MQTT-3.3.2-2)', ['pub', '-t', 'a/+', '-m', 'x'], /^-t\/--topic: .*wildcard "\+" \(MQTT-3\.3\.2-2\)/, 'pub'],
    ['a bad topic filter (MQTT-4.7.1-2)', ['sub', '-t', 'a/#/b'], /^-t\/--topic: .*MQTT-4\.7\.1-2/, 'sub'],
    ['an empty topic (MQTT-4.7.3-1)', ['sub', '-t', ''], /MQTT-4\.7\.3-1/, 'sub'],
    ['no message source', ['pub', '-t', 'a'], /^missing -m\/--message, -f\/--file/, 'pub'],
    ['two message sources', ['pub', '-t', 'a', '-m', 'x', '-n'], /^give only one of -m\/--message/, 'pub'],
    ['a bad port', ['sub', '-t', 'a', '-p', '70000'], /^-p\/--port must be an integer from 1 to 65535, not '70000'/, 'sub'],
    ['a bad keepalive', ['sub', '-t', 'a', '-k', '-1'], /-k/, 'sub'],
    ['a bad count', ['sub', '-t', 'a', '-C', '0'], /^-C\/--count must be an integer from 1/, 'sub'],
    ['a bad timeout', ['sub', '-t', 'a', '-W', 'soon'], /^-W\/--timeout must be a number of seconds above 0, not 'soon'/, 'sub'],
    ['a bad version', ['sub', '-t', 'a', '-V', '6'], /^-V\/--protocol-version must be mqttv5, mqttv311 or mqttv31, not '6'/, 'sub'],
    ['a bad URL scheme', ['sub', '-t', 'a', '-L', 'http://x'], /^-L\/--url: url scheme "http:" is not supported/, 'sub'],
    ['-c without -i', ['sub', '-t', 'a', '-c'], /^-c\/--disable-clean-session needs a client identifier/, 'sub'],
    ['-x before MQTT 5', ['sub', '-t', 'a', '-x', '10'], /^-x\/--session-expiry-interval needs MQTT 5/, 'sub'],
    ['MQTT 5 properties before MQTT 5', ['pub', '-t', 'a', '-n', '--content-type', 'x'], /needs? MQTT 5/, 'pub'],
    ['a user property without =', ['pub', '-t', 'a', '-n', '-V', '5', '--user-property', 'k'], /^--user-property must be NAME=VALUE, not 'k'/, 'pub'],
    ['-P and --password both', ['sub', '-t', 'a', '-P', 'x', '--password', 'y'], /^give -P\/--pw or --password, not both/, 'sub'],
    ['will flags without a will topic', ['sub', '-t', 'a', '--will-qos', '1'], /need --will-topic/, 'sub'],
    ['a wildcard in the will topic', ['sub', '-t', 'a', '--will-topic', 'a/#'], /^--will-topic: .*MQTT-3\.3\.2-2/, 'sub'],
  ])('refuses %s, naming the argument', (_name, args, message, command) => {
    const error = usageError(args);
    expect(error.message).toMatch(message);
    expect(error.command).toBe(command);
  });
});

describe('clientOptionsFromArgs', () => {
  const files: Record<string, Uint8Array> = { 'ca.pem': Uint8Array.of(1), 'c.pem': Uint8Array.of(2), 'k.pem': Uint8Array.of(3) };
  const readFile = (path: string): Uint8Array => {
    const bytes = files[path];
    if (bytes === undefined) throw new Error(`ENOENT: ${path}`);
    return bytes;
  };

  it('never reconnects, and passes the connection flags on', () => {
    expect(clientOptionsFromArgs(sub('-t', 'a', '-V', '5', '-i', 'me', '-u', 'u', '-P', 'p', '-k', '5', '-c', '-x', '9', '--will-topic', 'w'), readFile)).toEqual({
      protocolVersion: 5,
      keepalive: 5,
      clean: false,
      reconnect: false,
      clientId: 'me',
      username: 'u',
      password: 'p',
      sessionExpiryInterval: 9,
      will: { topic: 'w', payload: '', qos: 0, retain: false },
    });
  });

  it('reads the TLS files; --insecure turns verification off', () => {
    expect(clientOptionsFromArgs(sub('-t', 'a', '--cafile', 'ca.pem', '--cert', 'c.pem', '--key', 'k.pem', '--insecure'), readFile).tls).toEqual({
      ca: Uint8Array.of(1),
      cert: Uint8Array.of(2),
      key: Uint8Array.of(3),
      rejectUnauthorized: false,
    });
    expect(() => clientOptionsFromArgs(sub('-t', 'a', '--cafile', 'nope.pem'), readFile)).toThrow(/ENOENT/);
  });
});

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseBrokerUrl } from '../client/broker-url.js';
import type { ProtocolVersion, PublishProperties, QoS, UserProperties } from '../packets/packet.js';
import { validateTopicFilter, validateTopicName } from '../packets/topic.js';
import type { CliCommand, ConnectionArgs, PayloadSource, PubCommand, SubCommand } from './cli-command.js';
import { usage } from './usage.js';
import { UsageError } from './usage-error.js';
import { errorMessage } from '../packets/error-message.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags of both commands; names and short letters as mosquitto_sub / mosquitto_pub. */
const CONNECTION_OPTIONS = {
  url: { type: 'string', short: 'L' },
  host: { type: 'string', short: 'h' },
  port: { type: 'string', short: 'p' },
  'protocol-version': { type: 'string', short: 'V' },
  id: { type: 'string', short: 'i' },
  username: { type: 'string', short: 'u' },
  pw: { type: 'string', short: 'P' },
  password: { type: 'string' },
  keepalive: { type: 'string', short: 'k' },
  'disable-clean-session': { type: 'boolean', short: 'c' },
  'session-expiry-interval': { type: 'string', short: 'x' },
  'will-topic': { type: 'string' },
  'will-payload': { type: 'string' },
  'will-qos': { type: 'string' },
  'will-retain': { type: 'boolean' },
  cafile: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  trace: { type: 'boolean', short: 'd' },
  help: { type: 'boolean' },
} as const satisfies Options;

const SUB_OPTIONS = {
  ...CONNECTION_OPTIONS,
  topic: { type: 'string', short: 't', multiple: true },
  qos: { type: 'string', short: 'q' },
  count: { type: 'string', short: 'C' },
  timeout: { type: 'string', short: 'W' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
} as const satisfies Options;

const PUB_OPTIONS = {
  ...CONNECTION_OPTIONS,
  topic: { type: 'string', short: 't', multiple: true },
  qos: { type: 'string', short: 'q' },
  message: { type: 'string', short: 'm' },
  file: { type: 'string', short: 'f' },
  'stdin-file': { type: 'boolean', short: 's' },
  'stdin-line': { type: 'boolean', short: 'l' },
  'null-message': { type: 'boolean', short: 'n' },
  retain: { type: 'boolean', short: 'r' },
  'content-type': { type: 'string' },
  'user-property': { type: 'string', multiple: true },
} as const satisfies Options;

/** The values every command's parse yields for the shared flags. */
type ConnectionValues = {
  [K in keyof typeof CONNECTION_OPTIONS]?: (typeof CONNECTION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

const VERSIONS: Record<string, ProtocolVersion> = {
  mqttv31: 3,
  '31': 3,
  '3': 3,
  mqttv311: 4,
  '311': 4,
  '4': 4,
  mqttv5: 5,
  '5': 5,
};

/**
 * Parses the arguments of `rx-mqtt` (without `node` and the script): the command
 * (`sub`, `pub`, `help`) and its flags, checked.
 *
 * @example
 * ```ts
 * parseCliArgs(['sub', '-t', 'a/#', '-q', '1', '-C', '3']);
 * // { command: 'sub', topics: ['a/#'], qos: 1, count: 3, url: 'mqtt://localhost:1883', … }
 * ```
 * @param argv the arguments.
 * @returns what to run.
 * @throws UsageError naming the argument that is wrong.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sub':
    case 'subscribe':
      return parseSub(rest);
    case 'pub':
    case 'publish':
      return parsePub(rest);
    case 'help':
    case '--help':
      return { command: 'help', text: usage(helpTopic(rest[0])) };
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command '${command}' (sub, pub or help)`);
  }
}

function helpTopic(name: string | undefined): 'sub' | 'pub' | undefined {
  if (name === 'sub' || name === 'subscribe') return 'sub';
  if (name === 'pub' || name === 'publish') return 'pub';
  return undefined;
}

function parseSub(args: string[]): CliCommand {
  const values = parseFlags('sub', () => parseArgs({ args, options: SUB_OPTIONS, strict: true }).values);
  if (values.help === true) return { command: 'help', text: usage('sub') };
  const connection = connectionArgs(values, 'sub');
  const topics = values.topic ?? [];
  if (topics.length === 0) throw new UsageError('missing -t/--topic: give at least one topic filter', 'sub');
  for (const topic of topics) {
    const problem = validateTopicFilter(topic);
    if (problem !== undefined) throw new UsageError(`-t/--topic: ${problem}`, 'sub');
  }
  const command: { -readonly [K in keyof SubCommand]: SubCommand[K] } = {
    command: 'sub',
    ...connection,
    topics,
    qos: qos('-q/--qos', values.qos, 'sub'),
    format: values.json === true ? 'json' : values.verbose === true ? 'verbose' : 'payload',
  };
  if (values.count !== undefined) command.count = integer('-C/--count', values.count, 1, 2 ** 31 - 1, 'sub');
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (values.timeout.trim() === '' || !(seconds > 0) || seconds > 2 ** 31 / 1000) {
      throw new UsageError(`-W/--timeout must be a number of seconds above 0, not '${values.timeout}'`, 'sub');
    }
    command.timeoutMs = Math.round(seconds * 1000);
  }
  return command;
}

function parsePub(args: string[]): CliCommand {
  const values = parseFlags('pub', () => parseArgs({ args, options: PUB_OPTIONS, strict: true }).values);
  if (values.help === true) return { command: 'help', text: usage('pub') };
  const connection = connectionArgs(values, 'pub');
  const topics = values.topic ?? [];
  if (topics.length === 0) throw new UsageError('missing -t/--topic: give the topic to publish to', 'pub');
  if (topics.length > 1) throw new UsageError('-t/--topic: give one topic only', 'pub');
  const topic = topics[0] as string;
  const problem = validateTopicName(topic);
  if (problem !== undefined) throw new UsageError(`-t/--topic: ${problem}`, 'pub');

  const sources: PayloadSource[] = [];
  if (values.message !== undefined) sources.push({ kind: 'message', payload: values.message });
  if (values.file !== undefined) sources.push({ kind: 'file', path: values.file });
  if (values['stdin-file'] === true) sources.push({ kind: 'stdin' });
  if (values['stdin-line'] === true) sources.push({ kind: 'lines' });
  if (values['null-message'] === true) sources.push({ kind: 'null' });
  if (sources.length !== 1) {
    throw new UsageError(
      `${sources.length === 0 ? 'missing' : 'give only one of'} -m/--message, -f/--file, -s/--stdin-file, -l/--stdin-line or -n/--null-message`,
      'pub',
    );
  }

  const command: { -readonly [K in keyof PubCommand]: PubCommand[K] } = {
    command: 'pub',
    ...connection,
    topic,
    source: sources[0] as PayloadSource,
    qos: qos('-q/--qos', values.qos, 'pub'),
    retain: values.retain === true,
  };
  const properties = publishProperties(values['content-type'], values['user-property'], connection.protocolVersion);
  if (properties !== undefined) command.properties = properties;
  return command;
}

/** Runs node:util parseArgs (strict: no unknown flag, no positional), its errors turned into usage errors. */
function parseFlags<R>(command: 'sub' | 'pub', parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    // Not `instanceof Error`: node:util's errors may come from another realm (a Jest VM).
    const text = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    const message = text.split('\n')[0] ?? text;
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), command);
  }
}

function connectionArgs(values: ConnectionValues, command: 'sub' | 'pub'): ConnectionArgs {
  const fail = (message: string): never => {
    throw new UsageError(message, command);
  };
  const protocolVersion = version(values['protocol-version'], fail);
  const tls = {
    ...(values.cafile === undefined ? {} : { cafile: values.cafile }),
    ...(values.cert === undefined ? {} : { cert: values.cert }),
    ...(values.key === undefined ? {} : { key: values.key }),
    insecure: values.insecure === true,
  };
  const wantsTls = values.cafile !== undefined || values.cert !== undefined || values.insecure === true;
  const args: { -readonly [K in keyof ConnectionArgs]: ConnectionArgs[K] } = {
    url: brokerUrl(values, wantsTls, command),
    protocolVersion,
    keepalive: values.keepalive === undefined ? 60 : integer('-k/--keepalive', values.keepalive, 0, 65535, command),
    clean: values['disable-clean-session'] !== true,
    tls,
    trace: values.trace === true,
  };
  if (values.id !== undefined) args.clientId = values.id;
  if (values.username !== undefined) args.username = values.username;
  if (values.pw !== undefined && values.password !== undefined) fail('give -P/--pw or --password, not both');
  const password = values.pw ?? values.password;
  if (password !== undefined) args.password = password;
  if (!args.clean && args.clientId === undefined) {
    fail('-c/--disable-clean-session needs a client identifier (-i/--id)');
  }
  if (values['session-expiry-interval'] !== undefined) {
    if (protocolVersion !== 5) fail('-x/--session-expiry-interval needs MQTT 5 (-V mqttv5)');
    args.sessionExpiryInterval = integer('-x/--session-expiry-interval', values['session-expiry-interval'], 0, 4294967295, command);
  } else if (protocolVersion === 5 && !args.clean) {
    args.sessionExpiryInterval = 4294967295; // as mosquitto: -c without -x never expires
  }
  const will = willArgs(values, command);
  if (will !== undefined) args.will = will;
  return args;
}

function version(value: string | undefined, fail: (message: string) => never): ProtocolVersion {
  if (value === undefined) return 4;
  return VERSIONS[value.toLowerCase()] ?? fail(`-V/--protocol-version must be mqttv5, mqttv311 or mqttv31, not '${value}'`);
}

/** The URL from `-L`, with `-h` and `-p` applied; checked as `connect` would. */
function brokerUrl(values: ConnectionValues, tls: boolean, command: 'sub' | 'pub'): string {
  const fail = (message: string): never => {
    throw new UsageError(message, command);
  };
  let url: URL;
  try {
    url = parseBrokerUrlKeepingCredentials(values.url ?? (tls ? 'mqtts://localhost:8883' : 'mqtt://localhost:1883'));
  } catch (error) {
    return fail(`-L/--url: ${errorMessage(error)}`);
  }
  if (values.host !== undefined) {
    if (values.host === '') fail('-h/--host is empty');
    url.hostname = values.host.includes(':') && !values.host.startsWith('[') ? `[${values.host}]` : values.host;
  }
  if (values.port !== undefined) url.port = String(integer('-p/--port', values.port, 1, 65535, command));
  return url.href;
}

/** Checks the URL like `connect` does, but keeps the user name and password in it. */
function parseBrokerUrlKeepingCredentials(input: string): URL {
  const broker = parseBrokerUrl(input);
  const url = broker.url;
  if (broker.username !== undefined) url.username = encodeURIComponent(broker.username);
  if (broker.password !== undefined) url.password = encodeURIComponent(broker.password);
  return url;
}

function willArgs(values: ConnectionValues, command: 'sub' | 'pub'): ConnectionArgs['will'] {
  const topic = values['will-topic'];
  if (topic === undefined) {
    if (values['will-payload'] !== undefined || values['will-qos'] !== undefined || values['will-retain'] === true) {
      throw new UsageError('--will-payload, --will-qos and --will-retain need --will-topic', command);
    }
    return undefined;
  }
  const problem = validateTopicName(topic);
  if (problem !== undefined) throw new UsageError(`--will-topic: ${problem}`, command);
  return {
    topic,
    payload: values['will-payload'] ?? '',
    qos: qos('--will-qos', values['will-qos'], command),
    retain: values['will-retain'] === true,
  };
}

function publishProperties(
  contentType: string | undefined,
  userProperties: string[] | undefined,
  version: ProtocolVersion,
): PublishProperties | undefined {
  if (contentType === undefined && userProperties === undefined) return undefined;
  if (version !== 5) throw new UsageError('--content-type and --user-property need MQTT 5 (-V mqttv5)', 'pub');
  const properties: PublishProperties = {};
  if (contentType !== undefined) properties.contentType = contentType;
  if (userProperties !== undefined) {
    const pairs: UserProperties = {};
    for (const pair of userProperties) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--user-property must be NAME=VALUE, not '${pair}'`, 'pub');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const seen = pairs[name];
      pairs[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    properties.userProperties = pairs;
  }
  return properties;
}

function qos(flag: string, value: string | undefined, command: 'sub' | 'pub'): QoS {
  if (value === undefined) return 0;
  if (value === '0' || value === '1' || value === '2') return Number(value) as QoS;
  throw new UsageError(`${flag} must be 0, 1 or 2, not '${value}'`, command);
}

function integer(flag: string, value: string, min: number, max: number, command: 'sub' | 'pub'): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, not '${value}'`, command);
  }
  return n;
}

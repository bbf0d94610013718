import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCerts, type TestCerts } from './certs.js';
import { freePort } from './free-port.js';

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** Also open a TLS listener (certificates from certs.ts); default false. */
  tls?: boolean;
  /**
   * Keep sessions and queued messages across `restart()` (`persistence true`, database
   * in the temp dir; SIGTERM writes it); default false.
   */
  persistence?: boolean;
  /**
   * Lift the in-flight and queue limits (`max_inflight_messages 0`,
   * `max_queued_messages 0`): for throughput and soak tests, since Mosquitto 2.0.11 drops
   * a 3.1.1 client with more than 20 QoS 2 messages in flight and can strand queued
   * messages. Default false (the broker's defaults: 20 in flight, 1000 queued).
   */
  unlimited?: boolean;
  /** More lines for mosquitto.conf (e.g. `max_keepalive 10`). */
  extraConfig?: string[];
}

/** A running Mosquitto on 127.0.0.1 (MQTT 3.1, 3.1.1 and 5). */
export interface MosquittoBroker {
  /** Plain MQTT listener. */
  readonly port: number;
  /** TLS listener, when asked for. */
  readonly tlsPort?: number;
  /** CA certificate (PEM) that signed the TLS listener's certificate. */
  readonly ca?: string;
  /** The temp dir holding mosquitto.conf (and the database with `persistence`). */
  readonly dir: string;
  /** Process id of the running broker (a new one after `restart()`). */
  readonly pid: number;
  /** What Mosquitto logged so far (stderr). */
  log(): string;
  /** Stops (SIGTERM, waits for exit) and starts it again with the same config and ports. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM), waits for exit and deletes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Whether the `mosquitto` broker binary is installed (Debian package `mosquitto`).
 *
 * @returns true when `mosquitto -h` runs.
 */
export function mosquittoAvailable(): boolean {
  const result = spawnSync('mosquitto', ['-h'], { stdio: 'ignore' });
  return result.error === undefined;
}

/** Resolves once 127.0.0.1:`port` accepts a connection; rejects if `child` exits or after `ms`. */
async function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mosquitto exited (code ${child.exitCode}) before listening on ${port}:\n${log()}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${ms} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGTERM and wait for exit. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts Mosquitto from a generated config in a temp dir: `listener PORT 127.0.0.1` on a
 * free port, `allow_anonymous true`, an optional TLS listener on another free port, and
 * waits until it accepts connections. Never opens a `websockets` listener: 2.0.11 binds
 * it to every interface whatever the config says.
 *
 * @example
 * ```ts
 * const broker = await startMosquitto({ tls: true });
 * // connect(`mqtts://127.0.0.1:${broker.tlsPort}`, { tls: { ca: broker.ca } }) …
 * await broker.stop();
 * ```
 * @param options see {@link MosquittoOptions}.
 * @returns the running broker.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-mosquitto-'));
  let certs: TestCerts | undefined;
  try {
    const port = await freePort();
    const lines = [
      // Started as root (CI containers), Mosquitto would switch to user `mosquitto`, who
      // cannot read the temp dir.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'per_listener_settings false',
      'allow_anonymous true',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      `listener ${port} 127.0.0.1`,
    ];
    let tlsPort: number | undefined;
    if (options.tls === true) {
      certs = generateCerts();
      tlsPort = await freePort();
      lines.push(
        `listener ${tlsPort} 127.0.0.1`,
        `cafile ${certs.caPath}`,
        `certfile ${certs.certPath}`,
        `keyfile ${certs.keyPath}`,
      );
    }
    if (options.unlimited === true) lines.push('max_inflight_messages 0', 'max_queued_messages 0');
    if (options.persistence === true) {
      lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 0');
    }
    lines.push(...(options.extraConfig ?? []));
    const configPath = join(dir, 'mosquitto.conf');
    writeFileSync(configPath, lines.join('\n') + '\n');

    let output = '';
    const log = (): string => output;
    const launch = async (): Promise<ChildProcess> => {
      const child = spawn('mosquitto', ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        output += text;
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      try {
        await waitForPort(port, child, log);
        if (tlsPort !== undefined) await waitForPort(tlsPort, child, log);
      } catch (error) {
        await terminate(child);
        throw error;
      }
      return child;
    };

    let child = await launch();
    let stopped = false;
    const ownedCerts = certs;
    return {
      port,
      ...(tlsPort === undefined ? {} : { tlsPort }),
      ...(ownedCerts === undefined ? {} : { ca: ownedCerts.ca }),
      dir,
      log,
      get pid() {
        if (child.pid === undefined) throw new Error('mosquitto has no pid');
        return child.pid;
      },
      async restart() {
        await terminate(child);
        child = await launch();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await terminate(child);
        ownedCerts?.cleanup();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    certs?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

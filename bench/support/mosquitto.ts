/**
 * Starts a private Mosquitto for the end-to-end benchmark: a generated config in a temp
 * dir, a free 127.0.0.1 port, unlimited in-flight and queued messages (BROKERS.md: a
 * full window strands queued messages in 2.0.11), persistence off. Stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running broker. */
export interface Broker {
  readonly port: number;
  readonly pid: number;
  /** Stops the broker (SIGTERM, then SIGKILL after 2 s) and removes its temp dir. */
  stop(): Promise<void>;
}

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** `set_tcp_nodelay true` on the broker's sockets (Mosquitto's default is false). */
  noDelay?: boolean;
}

/** A port the kernel just handed out on 127.0.0.1 (closed again before returning). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a TCP connection, polling every 20 ms. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`mosquitto did not accept on port ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts `mosquitto -c <generated config>` on a free loopback port.
 * @param options broker tweaks
 * @returns the running broker, once its port accepts connections
 * @example
 * const broker = await startMosquitto();
 * try { … `mqtt://127.0.0.1:${broker.port}` … } finally { await broker.stop(); }
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'rxmqtt-bench-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'max_inflight_messages 0',
    'max_queued_messages 0',
    'persistence false',
    `set_tcp_nodelay ${options.noDelay === true ? 'true' : 'false'}`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n'));
  const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { log = (log + chunk).slice(-4000); });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawned !== undefined || child.pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start mosquitto (apt-get install -y mosquitto): ${spawned?.message ?? 'no pid'}`);
  }
  const pid = child.pid;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      const done = (): void => { clearTimeout(killTimer); rmSync(dir, { recursive: true, force: true }); resolve(); };
      const killTimer = setTimeout(() => { if (child.exitCode === null) process.kill(pid, 'SIGKILL'); }, 2000);
      if (child.exitCode !== null || child.signalCode !== null) { done(); return; }
      child.once('exit', done);
      process.kill(pid, 'SIGTERM');
    });
    return stopping;
  };
  try {
    await waitForPort(port, child, 5000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { port, pid, stop };
}

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A running aedes broker (MQTT 3.1.1) in a child process, on 127.0.0.1. */
export interface AedesBroker {
  /** MQTT over TCP: `mqtt://127.0.0.1:${port}`. */
  readonly port: number;
  /** MQTT over WebSocket: `ws://127.0.0.1:${wsPort}/mqtt` (any path). */
  readonly wsPort: number;
  /** Destroys every client connection (TCP and WebSocket); the broker keeps running. */
  dropClients(): Promise<void>;
  /** Kills the broker and starts a fresh one (no sessions kept) on the same ports. */
  restart(): Promise<void>;
  /** Kills the broker and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** What the child reports over IPC. */
type ChildMessage = { type: 'ready'; port: number; wsPort: number } | { type: 'dropped' };

/** Waits for the first IPC message of `type` from the child, failing if it exits first. */
function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      child.off('message', onMessage);
      reject(new Error(`aedes child exited (code ${code}, signal ${signal}) before '${type}'`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Kills the child (SIGTERM) and resolves once it has exited. */
function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Forks aedes-broker.mjs on the given ports (0 = any) and waits until it listens. */
async function spawn(port: number, wsPort: number): Promise<{ child: ChildProcess; port: number; wsPort: number }> {
  const child = fork(join(__dirname, 'aedes-broker.mjs'), [String(port), String(wsPort)], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await nextMessage(child, 'ready');
    return { child, port: ready.port, wsPort: ready.wsPort };
  } catch (error) {
    await kill(child);
    throw error;
  }
}

/**
 * Starts an aedes broker in a child process, listening on free 127.0.0.1 ports for MQTT
 * over TCP and over WebSocket. Stop it in `afterAll`/`afterEach`.
 *
 * @example
 * ```ts
 * let broker: AedesBroker;
 * beforeAll(async () => { broker = await startAedes(); });
 * afterAll(() => broker.stop());
 * // connect(`mqtt://127.0.0.1:${broker.port}`) …
 * ```
 * @returns the running broker.
 */
export async function startAedes(): Promise<AedesBroker> {
  let current = await spawn(0, 0);
  return {
    port: current.port,
    wsPort: current.wsPort,
    async dropClients() {
      const dropped = nextMessage(current.child, 'dropped');
      current.child.send({ type: 'drop' });
      await dropped;
    },
    async restart() {
      await kill(current.child);
      current = await spawn(current.port, current.wsPort);
    },
    stop: () => kill(current.child),
  };
}

import { spawn, type ChildProcess } from 'node:child_process';

/** The end of a mosquitto_pub / mosquitto_sub run. */
export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running mosquitto_pub / mosquitto_sub. */
export interface RunningClient {
  /** Settles when the process exits (never rejects; a spawn failure shows in `stderr`). */
  readonly done: Promise<ClientRun>;
  /** Resolves once stdout contains `text` (rejects if the process exits first or after `ms`). */
  output(text: string, ms?: number): Promise<void>;
  /** Kills it (SIGKILL) if still running. */
  kill(): void;
}

const running = new Set<ChildProcess>();

/**
 * Starts `mosquitto_pub` or `mosquitto_sub` with `args`, writing `stdin` (if given)
 * and closing it. Every process started here is remembered until it exits:
 * {@link killMosquittoClients} in `afterEach` kills what is left.
 *
 * @example
 * ```ts
 * const sub = mosquittoClient('mosquitto_sub', ['-p', port, '-t', 'a', '-C', '1', '-W', '10']);
 * expect((await sub.done).stdout).toBe('hello\n');
 * ```
 * @param command `mosquitto_pub` or `mosquitto_sub`.
 * @param args its arguments.
 * @param stdin text for its standard input (`mosquitto_pub -l`).
 * @returns the running process.
 */
export function mosquittoClient(
  command: 'mosquitto_pub' | 'mosquitto_sub',
  args: string[],
  stdin?: string,
): RunningClient {
  // stdbuf -oL: into a pipe, their stdout would be block-buffered and `output()` blind.
  const child = spawn('stdbuf', ['-oL', command, ...args], { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    stdout += text;
    for (const check of waiters) check();
  });
  child.stderr?.on('data', (text: string) => (stderr += text));
  if (stdin !== undefined) child.stdin?.end(stdin);
  const done = new Promise<ClientRun>((resolve) => {
    child.once('error', (error) => {
      stderr += String(error);
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      for (const check of waiters) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    done,
    output: (text, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${command} did not print "${text}" within ${ms} ms:\n${stdout}${stderr}`)), ms);
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error === undefined) resolve();
          else reject(error);
        };
        const check = (): void => {
          if (stdout.includes(text)) finish();
          else if (!running.has(child)) finish(new Error(`${command} exited before printing "${text}":\n${stdout}${stderr}`));
        };
        waiters.add(check);
        check();
      }),
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Kills every mosquitto_pub / mosquitto_sub still running and waits for them to exit.
 *
 * @returns once all are gone.
 */
export async function killMosquittoClients(): Promise<void> {
  const exits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(exits);
}

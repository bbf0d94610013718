import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

let bundle: { dir: string; file: string } | undefined;

/**
 * The CLI's source (src/cli/main.ts and what it imports, rxjs and ws included) bundled
 * by esbuild into one file in a temp dir, once per test file: a spawn then starts in
 * ~0.1 s, where `node --import tsx` takes ~0.5 s to compile and load the module graph.
 * Same source, same compiler (tsx is esbuild too).
 *
 * @returns the bundle's path.
 */
function cliBundle(): string {
  if (bundle === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-cli-bundle-'));
    const file = join(dir, 'rx-mqtt.cjs');
    buildSync({ entryPoints: [MAIN], outfile: file, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
    bundle = { dir, file };
  }
  return bundle.file;
}

/** Deletes the bundle made by the first {@link startCli}: for `afterAll`. */
export function removeCliBundle(): void {
  if (bundle !== undefined) rmSync(bundle.dir, { recursive: true, force: true });
  bundle = undefined;
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** A running child process (the CLI, or mosquitto_sub / mosquitto_pub). */
export interface Child {
  readonly process: ChildProcess;
  /** What it wrote to stdout so far. */
  stdout(): Buffer;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once stderr or stdout matches `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, stream?: 'stderr' | 'stdout'): Promise<void>;
  /** Resolves when it has exited (it is killed with SIGKILL after its time limit). */
  readonly exited: Promise<Exit>;
}

const running = new Set<ChildProcess>();

/** Options of {@link startProcess} and the CLI runners. */
export interface RunOptions {
  stdin?: string | Uint8Array;
  keepStdinOpen?: boolean;
  /** SIGKILL after this many ms; default 10000. */
  timeoutMs?: number;
}

/**
 * Starts a command as a child process, killed with SIGKILL after `timeoutMs`.
 *
 * @param command the executable.
 * @param args its arguments.
 * @param options `stdin` to write (then closed; default: closed at once), or
 *   `keepStdinOpen` to write to `process.stdin` yourself; and the time limit.
 * @returns the child.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Child {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const out: Buffer[] = [];
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk);
    for (const watch of watchers) watch();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
    for (const watch of watchers) watch();
  });
  child.stdin?.on('error', () => undefined); // the child may exit before reading it
  if (options.keepStdinOpen !== true) child.stdin?.end(options.stdin ?? '');
  const limit = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      running.delete(child);
      for (const watch of watchers) watch();
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    process: child,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    exited,
    waitFor(pattern, stream = 'stderr') {
      return new Promise<void>((resolve, reject) => {
        const watch = (): void => {
          const text = stream === 'stderr' ? err : Buffer.concat(out).toString();
          if (pattern.test(text)) {
            watchers.delete(watch);
            resolve();
          } else if (done || child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(watch);
            reject(new Error(`process exited before ${stream} matched ${pattern}:\n${err}`));
          }
        };
        watchers.add(watch);
        watch();
      });
    },
  };
}

/**
 * Starts `rx-mqtt` from its TypeScript source (bundled once, see `cliBundle`) as a
 * child process: one `node` process, so signals reach the CLI itself.
 *
 * @param args the command line after `rx-mqtt`.
 * @param options stdin and time limit, as {@link startProcess}.
 * @returns the child.
 */
export function startCli(args: readonly string[], options: RunOptions = {}): Child {
  return startProcess(process.execPath, [cliBundle(), ...args], options);
}

/**
 * Runs `rx-mqtt` to its end.
 *
 * @param args the command line after `rx-mqtt`.
 * @param options stdin and time limit.
 * @returns how it ended.
 */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<Exit> {
  return startCli(args, options).exited;
}

/**
 * Starts `rx-mqtt sub … -d` and resolves once its subscriptions are acknowledged
 * (as many SUBACKs in the trace as `-t` flags).
 *
 * @param args the command line after `rx-mqtt sub` (add `-d` yourself or not: it is added).
 * @param options time limit.
 * @returns the running subscriber.
 */
export async function startSubscriber(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<Child> {
  const topics = args.filter((a) => a === '-t').length;
  const child = startCli(['sub', '-d', ...args], options);
  await child.waitFor(new RegExp(`(← \\+\\S+ SUBACK[^\\n]*\\n[\\s\\S]*){${Math.max(topics, 1)}}`));
  return child;
}

/** Kills every child still running (SIGKILL) and waits for them: for `afterEach`. */
export async function killAll(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

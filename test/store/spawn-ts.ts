import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
/** tsx's loader, imported into the child itself: no wrapper process, so `child.pid` is the script's pid. */
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const POLL_MS = 5;

/**
 * Runs a TypeScript script in a child Node process (`node --import tsx/loader script`),
 * stdout ignored, stderr inherited, killed with SIGKILL after `timeoutMs` whatever
 * happens. (`node node_modules/tsx/dist/cli.mjs` would put a wrapper process in between,
 * and a SIGKILL to the wrapper would orphan the script.)
 *
 * @param script path from the repository root.
 * @param args arguments.
 * @param timeoutMs the child's lifetime bound.
 * @returns the child.
 */
export function spawnTs(script: string, args: readonly string[], timeoutMs: number): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
}

/** The lines a child appends to its journal file, and its exit. */
export interface Journal {
  /** Every whole line so far (a line cut by a kill, without its newline, is not one). */
  lines(): string[];
  /** Resolves once `predicate` holds for the lines; rejects if the child exits first. */
  until(predicate: (lines: readonly string[]) => boolean): Promise<void>;
  /** Resolves with the exit code or signal once the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Follows the journal a child writes with `fs.writeSync` (a regular file: every line
 * is in the page cache before the child's next step, and survives its SIGKILL; a pipe
 * would queue lines inside a child that never yields to its event loop).
 *
 * @param child the child.
 * @param path the journal file.
 * @returns the journal.
 */
export function journal(child: ChildProcess, path: string): Journal {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const lines = (): string[] => {
    if (!existsSync(path)) return [];
    const all = readFileSync(path, 'utf8').split('\n');
    all.pop(); // after the last newline: empty, or a line cut short
    return all;
  };
  return {
    lines,
    exited,
    until(predicate) {
      return new Promise<void>((resolve, reject) => {
        const poll = (): void => {
          const now = lines();
          if (predicate(now)) resolve();
          else if (exit !== undefined) {
            reject(new Error(`the child exited (code ${exit.code}, signal ${exit.signal}) first; last lines: ${now.slice(-3).join(' | ')}`));
          } else setTimeout(poll, POLL_MS);
        };
        poll();
      });
    },
  };
}

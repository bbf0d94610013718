import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Attempts at taking a lock whose holder keeps vanishing before giving up. */
const ATTEMPTS = 5;

/**
 * Locks `dir` for this process: a file `lock` holding the process id, created
 * atomically (written under a private name, then hard-linked into place, which fails
 * when the name exists). A lock whose process is gone (killed, crashed) is stale and
 * taken over; a lock held by a live process, this one included, is refused.
 *
 * @example
 * ```ts
 * const unlock = lockDirectory('/var/lib/app/mqtt');
 * try { … } finally { unlock(); }
 * ```
 * @param dir an existing directory.
 * @returns the function that releases the lock (idempotent).
 * @throws Error naming the holder's process id when a live process holds the lock.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, 'lock');
  const own = `${process.pid}\n`;
  const mine = join(dir, `lock.${process.pid}.tmp`);
  writeFileSync(mine, own);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        linkSync(mine, path);
        return release(path, own);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder !== undefined && isAlive(holder)) {
        throw new Error(`the store directory ${dir} is in use by process ${holder} (lock file ${path})`);
      }
      removeIfPresent(path);
    }
    throw new Error(`could not lock the store directory ${dir}: the lock file ${path} keeps coming back`);
  } finally {
    removeIfPresent(mine);
  }
}

function release(path: string, own: string): () => void {
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    // Only our own lock: a process that judged us dead may have taken it over.
    if (readText(path) === own) removeIfPresent(path);
  };
}

/** @returns the process id in the lock file; `undefined` when it is gone or holds no id. */
function readHolder(path: string): number | undefined {
  const text = readText(path);
  if (text === undefined || !/^\d+\n?$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Signal 0 checks that a process exists: ESRCH says it does not, EPERM that it belongs to another user. */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

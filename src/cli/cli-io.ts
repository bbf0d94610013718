import type { Observable, SchedulerLike } from 'rxjs';

/** Where output goes: a Node `Writable` fits. */
export interface CliOutput {
  write(chunk: string | Uint8Array): unknown;
}

/**
 * What the commands touch outside themselves, so they run the same from `main.ts`
 * (the process) and from a test.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Standard input in chunks; read only by `pub -s` / `pub -l` (lazily, on subscribe). */
  readonly stdin: Observable<Uint8Array>;
  /**
   * Reasons to stop (SIGINT, SIGTERM, a closed stdout): each emission asks the command
   * to end its client; the first ends it cleanly, the next ones force it.
   */
  readonly interrupts: Observable<string>;
  /**
   * Reads a whole file (`pub -f`, `--cafile`, `--cert`, `--key`).
   *
   * @throws the file system's error.
   */
  readFile(path: string): Uint8Array;
  /** Clock of the trace and timer of `sub -W`; default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

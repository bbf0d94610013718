import { readFileSync } from 'node:fs';
import { fromEvent, map, merge, Observable } from 'rxjs';
import type { CliIo } from './cli-io.js';

/**
 * The {@link CliIo} of this Node process: its stdout, stderr and stdin, SIGINT and
 * SIGTERM (and a stdout closed by its reader, as in `rx-mqtt sub … | head -1`) as
 * interrupts, and `readFileSync`.
 *
 * @returns the process's I/O.
 */
export function nodeIo(): CliIo {
  const stdoutClosed = new Observable<string>((subscriber) => {
    const onError = (error: Error & { code?: string }): void => subscriber.next(error.code ?? 'stdout error');
    process.stdout.on('error', onError);
    return () => process.stdout.off('error', onError);
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: new Observable<Uint8Array>((subscriber) => {
      const stdin = process.stdin;
      const onData = (chunk: Uint8Array): void => {
        subscriber.next(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      };
      const onEnd = (): void => subscriber.complete();
      const onError = (error: Error): void => subscriber.error(error);
      stdin.on('data', onData);
      stdin.once('end', onEnd);
      stdin.once('error', onError);
      return () => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.off('error', onError);
        stdin.pause();
      };
    }),
    interrupts: merge(
      fromEvent(process, 'SIGINT').pipe(map(() => 'SIGINT')),
      fromEvent(process, 'SIGTERM').pipe(map(() => 'SIGTERM')),
      stdoutClosed,
    ),
    readFile: (path) => {
      const bytes = readFileSync(path);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

import { defer, map, mergeMap, Observable, of, toArray } from 'rxjs';
import type { PayloadSource, PubCommand } from './cli-command.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { runWithClient } from './run-with-client.js';
import { concatBytes } from './concat-bytes.js';
import { splitLines } from './split-lines.js';
import { errorMessage } from '../packets/error-message.js';

/** Publishes in flight or queued at once with `-l`; the client's window paces them further. */
const CONCURRENT_PUBLISHES = 100;

/**
 * `rx-mqtt pub`: publishes the message (or each line of stdin with `-l`) and exits 0
 * once every QoS flow has completed (QoS 0: written; 1: PUBACK; 2: PUBCOMP) and the
 * client has disconnected. Exits 1 when the connection fails, a publish is refused or
 * the file cannot be read; 130 on an interrupt.
 *
 * @example
 * ```ts
 * runPub(parseCliArgs(['pub', '-t', 'a/b', '-m', 'hi', '-q', '1']) as PubCommand, io).subscribe(process.exit);
 * ```
 * @param command the parsed command.
 * @param io the process's streams, signals and files.
 * @returns the exit status.
 */
export function runPub(command: PubCommand, io: CliIo): Observable<ExitCode> {
  return runWithClient(command, io, { code: ExitCode.interrupted, force: true }, ({ client, finish }) => {
    const options = {
      qos: command.qos,
      retain: command.retain,
      ...(command.properties === undefined ? {} : { properties: command.properties }),
    };
    return payloads(command.source, io)
      .pipe(mergeMap((payload) => client.publish(command.topic, payload, options), CONCURRENT_PUBLISHES))
      .subscribe({
        error: (error: unknown) => finish(ExitCode.failure, error),
        complete: () => finish(ExitCode.ok),
      });
  });
}

/** The message(s) to send, read lazily from where the flags say. */
function payloads(source: PayloadSource, io: CliIo): Observable<string | Uint8Array> {
  switch (source.kind) {
    case 'message':
      return of(source.payload);
    case 'null':
      return of(new Uint8Array(0));
    case 'file':
      return defer(() => {
        try {
          return of(io.readFile(source.path));
        } catch (error) {
          throw new Error(`cannot read -f/--file: ${errorMessage(error)}`);
        }
      });
    case 'stdin':
      return io.stdin.pipe(toArray(), map(concatBytes));
    case 'lines':
      return io.stdin.pipe(splitLines());
  }
}

import { asyncScheduler, filter, merge, Subscription, switchMap, take, timer, type Observable } from 'rxjs';
import type { SubCommand } from './cli-command.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { formatMessage } from './format-message.js';
import { runWithClient } from './run-with-client.js';

/**
 * `rx-mqtt sub`: subscribes to every `-t` filter and prints each PUBLISH that arrives
 * (once per packet, as mosquitto_sub does, even when several filters match). Exits 0
 * after `-C` messages or on an interrupt, 3 when `-W` seconds pass after connecting,
 * 1 when the connection fails or a subscription is refused.
 *
 * @example
 * ```ts
 * runSub(parseCliArgs(['sub', '-t', 'a/#', '-C', '1']) as SubCommand, io).subscribe(process.exit);
 * ```
 * @param command the parsed command.
 * @param io the process's streams and signals.
 * @returns the exit status.
 */
export function runSub(command: SubCommand, io: CliIo): Observable<ExitCode> {
  return runWithClient(command, io, { code: ExitCode.ok, force: false }, ({ client, finish }) => {
    const work = new Subscription();
    let received = 0;
    const count = command.count ?? Infinity;
    work.add(
      client.messages$.subscribe((message) => {
        if (received >= count) return; // the rest of a chunk that held the last one
        io.stdout.write(formatMessage(message, command.format));
        if (++received === count) finish(ExitCode.ok);
      }),
    );
    // The topic streams only hold the subscriptions (and report refusals): the
    // messages are printed from messages$, once per PUBLISH.
    work.add(
      merge(...command.topics.map((topic) => client.topic(topic, { qos: command.qos }))).subscribe({
        error: (error: unknown) => finish(ExitCode.failure, error),
      }),
    );
    const timeoutMs = command.timeoutMs;
    if (timeoutMs !== undefined) {
      work.add(
        client.state$
          .pipe(
            filter((state) => state.status === 'connected'),
            take(1),
            switchMap(() => timer(timeoutMs, io.scheduler ?? asyncScheduler)),
            filter(() => received < count),
          )
          .subscribe(() => finish(ExitCode.timeout, `timed out after ${timeoutMs / 1000} s (-W); ${received} message(s) received`)),
      );
    }
    return work;
  });
}

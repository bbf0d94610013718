import { asyncScheduler, Observable, Subscription, type TeardownLogic } from 'rxjs';
import type { ClientOptions } from '../client/client-options.js';
import { connect } from '../client/connect.node.js';
import type { MqttClient } from '../client/mqtt-client.js';
import type { ConnectionArgs } from './cli-command.js';
import type { CliIo } from './cli-io.js';
import { clientOptionsFromArgs } from './client-options-from-args.js';
import { describeError } from './describe-error.js';
import { ExitCode } from './exit-codes.js';
import { formatPacket } from './format-packet.js';

/** What a command's body gets from {@link runWithClient}. */
export interface ClientRun {
  readonly client: MqttClient;
  /**
   * Ends the client (once; later calls are ignored) and then exits with `code`.
   *
   * @param code the exit status.
   * @param problem printed to stderr first: an error (explained) or a message.
   */
  finish(code: ExitCode, problem?: unknown): void;
}

/** How a command reacts to an interrupt (SIGINT, SIGTERM, closed stdout). */
export interface InterruptPolicy {
  /** The exit status. */
  readonly code: ExitCode;
  /** End at once, without waiting for in-flight QoS flows. */
  readonly force: boolean;
}

/**
 * Runs a command around one client: connects with the flags (never reconnecting),
 * prints the trace with `--trace`, exits 1 with an explanation when the client closes
 * on an error (refused, unreachable, lost), ends it on an interrupt (a second one
 * forces it), and emits the exit status once the client is closed.
 *
 * @param args the connection flags.
 * @param io the process's streams, signals and files.
 * @param onInterrupt the exit status (and whether to force) on the first interrupt.
 * @param body starts the command's work; its teardown runs when the command is done.
 * @returns the exit status, then completes.
 */
export function runWithClient(
  args: ConnectionArgs,
  io: CliIo,
  onInterrupt: InterruptPolicy,
  body: (run: ClientRun) => TeardownLogic,
): Observable<ExitCode> {
  return new Observable<ExitCode>((subscriber) => {
    const scheduler = io.scheduler ?? asyncScheduler;
    const started = scheduler.now();
    let connected = false;
    const explain = (problem: unknown): string =>
      typeof problem === 'string' ? problem : describeError(problem, { url: args.url, version: args.protocolVersion, connected });

    let options: ClientOptions;
    try {
      options = clientOptionsFromArgs(args, io.readFile);
    } catch (error) {
      io.stderr.write(`rx-mqtt: ${explain(error)}\n`);
      subscriber.next(ExitCode.failure);
      subscriber.complete();
      return undefined;
    }
    const client = connect(args.url, { ...options, scheduler });
    const teardown = new Subscription();
    let ending = false;
    const finish = (code: ExitCode, problem?: unknown, force = false): void => {
      if (ending) return;
      ending = true;
      if (problem !== undefined) io.stderr.write(`rx-mqtt: ${explain(problem)}\n`);
      teardown.add(
        client.end({ force }).subscribe({
          complete: () => {
            subscriber.next(code);
            subscriber.complete();
          },
        }),
      );
    };

    if (args.trace) {
      teardown.add(
        client.packets$.subscribe((event) => {
          io.stderr.write(formatPacket(event, scheduler.now() - started, args.protocolVersion) + '\n');
        }),
      );
    }
    teardown.add(
      client.state$.subscribe((state) => {
        if (state.status === 'connected') connected = true;
        if (state.status === 'closed' && state.error !== undefined) finish(ExitCode.failure, state.error);
      }),
    );
    teardown.add(
      io.interrupts.subscribe(() => {
        if (ending) client.end({ force: true });
        else finish(onInterrupt.code, undefined, onInterrupt.force);
      }),
    );
    teardown.add(body({ client, finish: (code, problem) => finish(code, problem) }));
    return () => {
      teardown.unsubscribe();
      if (!ending) client.end({ force: true });
    };
  });
}

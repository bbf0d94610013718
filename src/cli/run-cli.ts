import { defer, of, type Observable } from 'rxjs';
import type { CliCommand } from './cli-command.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { parseCliArgs } from './parse-args.js';
import { runPub } from './run-pub.js';
import { runSub } from './run-sub.js';
import { usage } from './usage.js';
import { UsageError } from './usage-error.js';

/**
 * Runs `rx-mqtt` with the given arguments: parses them (bad ones: the problem and the
 * usage on stderr, status 2), then runs `sub` or `pub`, or prints the help.
 *
 * @example
 * ```ts
 * runCli(['pub', '-t', 'a/b', '-m', 'hello', '-q', '1'], nodeIo()).subscribe((code) => process.exit(code));
 * ```
 * @param argv the arguments after the script name.
 * @param io the process's streams, signals and files.
 * @returns the exit status, then completes.
 */
export function runCli(argv: readonly string[], io: CliIo): Observable<ExitCode> {
  return defer(() => {
    let command: CliCommand;
    try {
      command = parseCliArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const name = error.command === undefined ? 'rx-mqtt' : `rx-mqtt ${error.command}`;
      io.stderr.write(`${name}: ${error.message}\n\n${usage(error.command)}`);
      return of(ExitCode.usage);
    }
    switch (command.command) {
      case 'help':
        io.stdout.write(command.text);
        return of(ExitCode.ok);
      case 'sub':
        return runSub(command, io);
      case 'pub':
        return runPub(command, io);
    }
  });
}

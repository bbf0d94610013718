/**
 * Exit statuses of the `rx-mqtt` command (docs/cli.md lists them).
 *
 * - `ok` 0: done (`sub`: `-C` messages printed, or stopped by SIGINT/SIGTERM; `pub`:
 *   every message's QoS flow completed).
 * - `failure` 1: the broker refused the connection (CONNACK), the connection could not
 *   be opened or was lost, a subscription or publish was refused, a file could not be read.
 * - `usage` 2: bad arguments.
 * - `timeout` 3: `sub -W` ran out before `-C` messages arrived.
 * - `interrupted` 130: `pub` stopped by SIGINT/SIGTERM before its flows completed.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  timeout: 3,
  interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// The `rx-mqtt` command line (Node only; not re-exported by src/index.ts).
export { runCli } from './run-cli.js';
export { nodeIo } from './node-io.js';
export { parseCliArgs } from './parse-args.js';
export { runSub } from './run-sub.js';
export { runPub } from './run-pub.js';
export { runWithClient, type ClientRun, type InterruptPolicy } from './run-with-client.js';
export { clientOptionsFromArgs } from './client-options-from-args.js';
export { formatPacket } from './format-packet.js';
export { formatMessage, messageJson, type MessageJson } from './format-message.js';
export { describeError, type ErrorContext } from './describe-error.js';
export { previewBytes } from './preview-bytes.js';
export { textOf } from './text-of.js';
export { toBase64 } from './to-base64.js';
export { splitLines } from './split-lines.js';
export { concatBytes } from './concat-bytes.js';
export { ExitCode } from './exit-codes.js';
export { UsageError } from './usage-error.js';
export { usage, MAIN_USAGE, SUB_USAGE, PUB_USAGE } from './usage.js';
export type { CliIo, CliOutput } from './cli-io.js';
export type {
  CliCommand,
  ConnectionArgs,
  HelpCommand,
  PayloadSource,
  PubCommand,
  SubCommand,
} from './cli-command.js';

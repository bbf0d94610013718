#!/usr/bin/env node
// The `rx-mqtt` command (package.json "bin"): runs the CLI in this process and exits
// with its status once stdout and stderr are flushed.
import { nodeIo } from './node-io.js';
import { runCli } from './run-cli.js';

function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runCli(process.argv.slice(2), nodeIo()).subscribe({
  next: exit,
  error: (error: unknown) => {
    process.stderr.write(`rx-mqtt: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exit(1);
  },
});

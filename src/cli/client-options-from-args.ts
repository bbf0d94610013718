import type { ClientOptions } from '../client/client-options.js';
import type { TlsTransportOptions } from '../transport/tls-options.js';
import type { ConnectionArgs } from './cli-command.js';

/**
 * The `connect()` options for the connection flags. The CLI never reconnects
 * (`reconnect: false`): a connection that cannot be opened, is refused or is lost
 * ends the command with status 1 instead of retrying forever.
 *
 * @example
 * ```ts
 * const options = clientOptionsFromArgs(parseCliArgs(['sub', '-t', 'a', '-V', '5']) as SubCommand, readFile);
 * // { protocolVersion: 5, keepalive: 60, clean: true, reconnect: false, … }
 * ```
 * @param args the parsed connection flags.
 * @param readFile reads `--cafile`, `--cert` and `--key`.
 * @returns the client options.
 * @throws the file system's error when a TLS file cannot be read.
 */
export function clientOptionsFromArgs(args: ConnectionArgs, readFile: (path: string) => Uint8Array): ClientOptions {
  const options: ClientOptions = {
    protocolVersion: args.protocolVersion,
    keepalive: args.keepalive,
    clean: args.clean,
    reconnect: false,
  };
  if (args.clientId !== undefined) options.clientId = args.clientId;
  if (args.username !== undefined) options.username = args.username;
  if (args.password !== undefined) options.password = args.password;
  if (args.sessionExpiryInterval !== undefined) options.sessionExpiryInterval = args.sessionExpiryInterval;
  if (args.will !== undefined) options.will = { ...args.will };
  const tls: TlsTransportOptions = {};
  if (args.tls.cafile !== undefined) tls.ca = readFile(args.tls.cafile);
  if (args.tls.cert !== undefined) tls.cert = readFile(args.tls.cert);
  if (args.tls.key !== undefined) tls.key = readFile(args.tls.key);
  if (args.tls.insecure) tls.rejectUnauthorized = false;
  if (Object.keys(tls).length > 0) options.tls = tls;
  return options;
}

import type { ProtocolVersion, PublishProperties, QoS } from '../packets/packet.js';

/** How to reach and log in to the broker: the flags `sub` and `pub` share. */
export interface ConnectionArgs {
  /** The broker URL, `-h`/`-p` applied (credentials may be in it). */
  readonly url: string;
  readonly protocolVersion: ProtocolVersion;
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly keepalive: number;
  /** False with `-c` (persistent session). */
  readonly clean: boolean;
  readonly sessionExpiryInterval?: number;
  readonly will?: {
    readonly topic: string;
    readonly payload: string;
    readonly qos: QoS;
    readonly retain: boolean;
  };
  /** `--cafile`, `--cert`, `--key` (paths) and `--insecure`. */
  readonly tls: {
    readonly cafile?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly insecure: boolean;
  };
  /** `-d`/`--trace`: every packet to stderr. */
  readonly trace: boolean;
}

/** `rx-mqtt sub …`. */
export interface SubCommand extends ConnectionArgs {
  readonly command: 'sub';
  /** At least one. */
  readonly topics: readonly string[];
  readonly qos: QoS;
  /** `-C`: exit after this many messages. */
  readonly count?: number;
  /** `-W`: give up this many ms after connecting. */
  readonly timeoutMs?: number;
  /** How each message is printed. */
  readonly format: 'payload' | 'verbose' | 'json';
}

/** Where `pub` takes its message(s) from. */
export type PayloadSource =
  | { readonly kind: 'message'; readonly payload: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'lines' };

/** `rx-mqtt pub …`. */
export interface PubCommand extends ConnectionArgs {
  readonly command: 'pub';
  readonly topic: string;
  readonly source: PayloadSource;
  readonly qos: QoS;
  readonly retain: boolean;
  /** MQTT 5 publish properties (`--content-type`, `--user-property`). */
  readonly properties?: PublishProperties;
}

/** `rx-mqtt --help`, `rx-mqtt help sub`, `rx-mqtt pub --help`: print `text` to stdout. */
export interface HelpCommand {
  readonly command: 'help';
  readonly text: string;
}

/** What the command line asks for. */
export type CliCommand = SubCommand | PubCommand | HelpCommand;

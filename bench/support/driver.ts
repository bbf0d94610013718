/** The contract every benchmarked client implements: a publisher and a subscriber connection. */

/** QoS level. */
export type QoS = 0 | 1 | 2;

/** What a pair is opened for. */
export interface PairSpec {
  /** Broker port on 127.0.0.1. */
  port: number;
  /** Topic published to and subscribed (exactly, no wildcard). */
  topic: string;
  qos: QoS;
  /** Payload size in bytes. */
  size: number;
  /** MQTT protocol level for both connections. */
  protocolVersion: 4 | 5;
  /** Highest sequence number + 1 a run will publish (the raw client pre-encodes that many frames). */
  frames: number;
}

/** Called by the subscriber for each arriving message: its payload starts at `offset` of `bytes`. */
export type OnMessage = (bytes: Uint8Array, offset: number) => void;

/** An open publisher/subscriber pair, subscribed and ready. */
export interface Pair {
  /**
   * Stamps and publishes message `seq` of run `run`; calls `done` once the client reports
   * the publish complete (QoS 0: written / accepted by the socket, QoS 1: PUBACK, QoS 2: PUBCOMP).
   */
  publish(seq: number, run: number, done: () => void): void;
  /** End of a burst of `publish` calls in one event-loop turn (the raw client uncorks here). */
  flush(): void;
  /** Ends both connections. */
  close(): Promise<void>;
}

/** A benchmarked client. */
export interface Driver {
  /** Row label. */
  readonly name: string;
  /** Connects publisher and subscriber, subscribes at `spec.qos`, routes messages to `onMessage`. */
  open(spec: PairSpec, onMessage: OnMessage): Promise<Pair>;
}

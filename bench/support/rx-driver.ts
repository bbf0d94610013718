/**
 * rx-mqtt as a benchmarked client, with its defaults (noDelay on, maxInflight 20 for
 * MQTT 3.1.1). Publishes with `client.publish(topic, payload, { qos }).subscribe(…)`
 * (one PublishResult: QoS 0 once written, 1 on PUBACK, 2 on PUBCOMP) and receives
 * with `client.topic(topic, { qos }).subscribe(…)`.
 */
import { filter, firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { connect, tcp, type MqttClient } from '../../src/index.js';
import { batchingTransport } from './batching-transport.js';
import type { Driver, OnMessage, Pair, PairSpec } from './driver.js';
import { reportPublishError, stampedPayload } from './payload.js';

/** Whether the rx-mqtt client has landed (src/index.ts exports `connect`). */
export const rxAvailable = typeof connect === 'function';

/** Options of {@link rxDriver}. */
export interface RxDriverOptions {
  /** Overrides the client's `maxInflight` (unset: its default). */
  maxInflight?: number;
  /** Experiment: coalesce the client's socket writes of one tick (see batching-transport.ts). */
  batch?: boolean;
}

async function open(url: string, spec: PairSpec, options: RxDriverOptions): Promise<MqttClient> {
  const client = connect(url, {
    ...(spec.protocolVersion === 5 ? { protocolVersion: 5 as const } : {}),
    ...(options.maxInflight !== undefined ? { maxInflight: options.maxInflight } : {}),
    ...(options.batch === true ? { transport: batchingTransport(tcp()) } : {}),
  });
  const state = await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected' || s.status === 'closed')));
  if (state.status === 'closed') throw state.error ?? new Error('rx-mqtt client closed while connecting');
  return client;
}

/**
 * The rx-mqtt driver.
 * @param options client option overrides
 * @returns the driver
 */
export function rxDriver(options: RxDriverOptions = {}): Driver {
  return {
    name: `rx-mqtt${options.batch === true ? '(batched)' : ''}${options.maxInflight !== undefined ? `(inflight ${options.maxInflight})` : ''}`,
    async open(spec: PairSpec, onMessage: OnMessage): Promise<Pair> {
      const url = `mqtt://127.0.0.1:${spec.port}`;
      const [pub, sub] = await Promise.all([open(url, spec, options), open(url, spec, options)]);
      const subscription: Subscription = sub.topic(spec.topic, { qos: spec.qos }).subscribe({
        next: (message) => onMessage(message.payload, 0),
      });
      const { topic, qos, size } = spec;
      const publishOptions = { qos };
      return {
        publish(seq, run, done) {
          pub.publish(topic, stampedPayload(size, seq, run), publishOptions).subscribe({
            next: done,
            error: (error: unknown) => { reportPublishError(error); done(); },
          });
        },
        flush() { /* rx-mqtt writes as it goes */ },
        async close() {
          subscription.unsubscribe();
          await Promise.all([
            lastValueFrom(pub.end(), { defaultValue: undefined }),
            lastValueFrom(sub.end(), { defaultValue: undefined }),
          ]);
        },
      };
    },
  };
}

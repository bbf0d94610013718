/** MQTT.js (`mqtt` 5) as a benchmarked client: its defaults, plus only what is needed to connect. */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import type { Driver, OnMessage, Pair, PairSpec } from './driver.js';
import { reportPublishError, stampedPayload } from './payload.js';

/** Options of {@link mqttjsDriver}. */
export interface MqttjsDriverOptions {
  /**
   * Turn Nagle off on its socket. MQTT.js has no option for it (its TCP stream builder
   * calls `net.createConnection` and nothing else), so the bench calls
   * `setNoDelay(true)` on `client.stream` right after `connect()` and on each `connect`.
   */
  noDelay?: boolean;
}

function open(url: string, options: IClientOptions, noDelay: boolean): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = connect(url, options);
    const nodelay = (): void => { if (noDelay) (client.stream as Socket).setNoDelay(true); };
    nodelay();
    client.on('connect', nodelay);
    client.once('connect', () => { client.removeListener('error', reject); resolve(client); });
    client.once('error', reject);
  });
}

function end(client: MqttClient): Promise<void> {
  return new Promise((resolve) => { client.end(false, {}, () => resolve()); });
}

/**
 * A driver for MQTT.js. Publishes with `client.publish(topic, payload, { qos }, cb)`
 * (`cb`: QoS 0 once written to the socket — or on 'drain' when the socket buffer is
 * full —, QoS 1 on PUBACK, QoS 2 on PUBCOMP) and receives with `client.on('message')`.
 * @param options `noDelay` for the Nagle-off variant
 * @returns the driver
 */
export function mqttjsDriver(options: MqttjsDriverOptions = {}): Driver {
  const noDelay = options.noDelay === true;
  return {
    name: noDelay ? 'mqttjs-nodelay' : 'mqttjs',
    async open(spec: PairSpec, onMessage: OnMessage): Promise<Pair> {
      const url = `mqtt://127.0.0.1:${spec.port}`;
      const clientOptions: IClientOptions = spec.protocolVersion === 5 ? { protocolVersion: 5 } : {};
      const [pub, sub] = await Promise.all([open(url, clientOptions, noDelay), open(url, clientOptions, noDelay)]);
      sub.on('message', (_topic, payload) => onMessage(payload, 0));
      await new Promise<void>((resolve, reject) => {
        sub.subscribe(spec.topic, { qos: spec.qos }, (error) => (error ? reject(error) : resolve()));
      });
      const { topic, qos, size } = spec;
      const publishOptions = { qos };
      return {
        publish(seq, run, done) {
          pub.publish(topic, stampedPayload(size, seq, run), publishOptions, (error) => {
            if (error !== undefined && error !== null) reportPublishError(error);
            done();
          });
        },
        flush() { /* MQTT.js writes each packet as it goes */ },
        async close() { await Promise.all([end(pub), end(sub)]); },
      };
    },
  };
}

import { lastValueFrom, throwError, timeout } from 'rxjs';
import type { ClientOptions } from '../../src/client/client-options.js';
import type { EndOptions, MqttClient } from '../../src/client/mqtt-client.js';
import { connect } from '../../src/index.js';

/** Clients a test opened, to end them all afterwards. */
export interface ClientPool {
  /** `connect(url, options)`, remembering the client. */
  connect(url: string, options?: ClientOptions): MqttClient;
  /**
   * Ends a client and waits until it is closed (bounded by `ms`).
   * @param client the client.
   * @param options `end()` options.
   * @param ms how long to wait; default 10 s.
   */
  end(client: MqttClient, options?: EndOptions, ms?: number): Promise<void>;
  /** Ends every client (forced) and waits until all are closed. */
  endAll(): Promise<void>;
}

/**
 * A pool of clients for one test file: `afterEach(() => pool.endAll())` so no client
 * outlives its test, whatever failed.
 *
 * @example
 * ```ts
 * const pool = clientPool();
 * afterEach(() => pool.endAll());
 * const client = pool.connect(`mqtt://127.0.0.1:${broker.port}`);
 * ```
 * @returns the pool.
 */
export function clientPool(): ClientPool {
  const clients = new Set<MqttClient>();
  const end = async (client: MqttClient, options = {}, ms = 10_000): Promise<void> => {
    await lastValueFrom(
      client.end(options).pipe(timeout({ each: ms, with: () => throwError(() => new Error(`end() did not close within ${ms} ms`)) })),
      { defaultValue: undefined },
    );
    clients.delete(client);
  };
  return {
    connect(url, options = {}) {
      const client = connect(url, options);
      clients.add(client);
      return client;
    },
    end,
    async endAll() {
      const all = [...clients];
      clients.clear();
      await Promise.all(all.map((client) => end(client, { force: true })));
    },
  };
}

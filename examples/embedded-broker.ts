/**
 * An aedes broker embedded in this process on a free loopback port, for the demo.
 * aedes is ESM-only, hence the dynamic import.
 */
import net from 'node:net';

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts aedes on 127.0.0.1 with a port the OS picks. */
export async function startEmbeddedBroker(): Promise<EmbeddedBroker> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
      }),
  };
}

import { runInNewContext } from 'node:vm';
import { firstValueFrom, throwError } from 'rxjs';
import { filter } from 'rxjs/operators';
import { connect, MqttConnectionError, type ConnectionState } from '../../src/index.js';

describe('transport errors on state$', () => {
  it('keeps an error from another realm (as Node errors are under Jest) with its code', async () => {
    const foreign = runInNewContext('Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })') as Error;
    expect(foreign instanceof Error).toBe(false);
    const client = connect('mqtt://127.0.0.1:1', {
      transport: () => throwError(() => foreign),
      reconnect: false,
    });
    const closed = (await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'closed')))) as Extract<
      ConnectionState,
      { status: 'closed' }
    >;
    expect(closed.error).toBeInstanceOf(MqttConnectionError);
    expect((closed.error as MqttConnectionError).cause).toBe(foreign);
    expect(((closed.error as MqttConnectionError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

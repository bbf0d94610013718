import { filter, firstValueFrom, map, take, throwError, timeout, toArray } from 'rxjs';
import type { MqttClient, PacketEvent } from '../../src/client/mqtt-client.js';
import type { Packet, PacketCmd } from '../../src/packets/packet.js';

/**
 * Resolves with the next packet of type `cmd` in `client.packets$` (subscribed at
 * once: call it before the action that makes the packet). Rejects after `ms`.
 *
 * @example
 * ```ts
 * const suback = nextPacket(client, 'suback');
 * client.topic('a').subscribe();
 * await suback;
 * ```
 * @param client the client.
 * @param cmd the packet type.
 * @param direction `'in'` (default) or `'out'`.
 * @param ms how long to wait; default 10 s.
 * @returns the packet.
 */
export function nextPacket<C extends PacketCmd>(
  client: MqttClient,
  cmd: C,
  direction: PacketEvent['direction'] = 'in',
  ms = 10_000,
): Promise<Extract<Packet, { cmd: C }>> {
  return firstValueFrom(
    client.packets$.pipe(
      filter((event) => event.direction === direction && event.packet.cmd === cmd),
      map((event) => event.packet as Extract<Packet, { cmd: C }>),
      timeout({ first: ms, with: () => throwError(() => new Error(`no ${direction} ${cmd} within ${ms} ms`)) }),
    ),
  );
}

/**
 * Resolves with the next `n` packets of type `cmd` in `client.packets$` (subscribed at
 * once). Rejects after `ms`.
 *
 * @param client the client.
 * @param cmd the packet type.
 * @param n how many.
 * @param direction `'in'` (default) or `'out'`.
 * @param ms how long to wait; default 10 s.
 * @returns the packets, in order.
 */
export function nextPackets<C extends PacketCmd>(
  client: MqttClient,
  cmd: C,
  n: number,
  direction: PacketEvent['direction'] = 'in',
  ms = 10_000,
): Promise<Extract<Packet, { cmd: C }>[]> {
  return firstValueFrom(
    client.packets$.pipe(
      filter((event) => event.direction === direction && event.packet.cmd === cmd),
      map((event) => event.packet as Extract<Packet, { cmd: C }>),
      take(n),
      toArray(),
      timeout({ first: ms, with: () => throwError(() => new Error(`not ${n} ${direction} ${cmd} within ${ms} ms`)) }),
    ),
  );
}

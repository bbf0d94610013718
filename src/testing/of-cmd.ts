import { filter, type OperatorFunction } from 'rxjs';
import type { Packet, PacketCmd, PacketOf } from '../packets/packet.js';

/**
 * Keeps the packets of the given kinds, typed by them: for asserting what a client
 * sent (`broker.received$`) or what the broker answered (`broker.sent$`), and when.
 *
 * @example
 * ```ts
 * // the topic of each PUBLISH, at the virtual time the broker received it
 * expectObservable(broker.received$.pipe(ofCmd('publish'), map((p) => p.topic))).toBe('100ms a', { a: 'cmd/lamp' });
 * ```
 * @param cmds the `cmd`s to keep.
 * @returns an operator passing on the packets whose `cmd` is one of `cmds`.
 */
export function ofCmd<C extends PacketCmd>(...cmds: C[]): OperatorFunction<Packet, PacketOf<C>> {
  const wanted = new Set<PacketCmd>(cmds);
  return filter((packet): packet is PacketOf<C> => wanted.has(packet.cmd));
}

import { MqttError } from '../packets/errors.js';
import { MqttConnectionError } from './errors.js';

/**
 * The error a connection that closed or failed is reported with: an `MqttError` as it
 * is; otherwise a `MqttConnectionError`, with the transport's error as `cause`.
 *
 * @example
 * ```ts
 * connectionClosedError(undefined, false);                 // MqttConnectionError('connection closed by the server')
 * connectionClosedError(new Error('ECONNREFUSED'), true);  // MqttConnectionError('could not connect: ECONNREFUSED')
 * connectionClosedError(new Error('ECONNRESET'), false);   // MqttConnectionError('connection lost: ECONNRESET')
 * ```
 * @param error what the transport reported; `undefined` when the peer closed it.
 * @param opening whether the transport was still opening.
 * @returns the error.
 */
export function connectionClosedError(error: Error | undefined, opening: boolean): Error {
  if (error instanceof MqttError) return error;
  if (error === undefined) return new MqttConnectionError('connection closed by the server');
  const what = opening ? 'could not connect' : 'connection lost';
  return new MqttConnectionError(`${what}: ${error.message}`, undefined, error);
}

import { MqttConnectionError } from '../protocol/errors.js';

/**
 * A function given for `username`, `password`, the URL, a `servers` entry or
 * `authenticate.data` failed,
 * completed without a value, or gave a value of the wrong type (or a URL that cannot
 * be used). That connection attempt fails with this error and the client retries
 * after the backoff, asking the function again. `option` names the option; `cause`
 * holds the function's own error, if any.
 *
 * @example
 * ```ts
 * client.state$.subscribe((s) => {
 *   if (s.status === 'reconnecting' && s.error instanceof MqttCredentialsError) console.warn(s.error.option, s.error.cause);
 * });
 * ```
 */
export class MqttCredentialsError extends MqttConnectionError {
  /**
   * @param message what went wrong, naming the option.
   * @param option `'username'`, `'password'`, `'url'`, `'servers[i]'` or `'authenticate.data'`.
   * @param cause the function's error, if any.
   */
  constructor(
    message: string,
    readonly option: string,
    cause?: unknown,
  ) {
    super(message, undefined, cause);
  }
}

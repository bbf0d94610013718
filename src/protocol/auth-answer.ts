import { encodingProblem } from '../packets/encoding-problem.js';
import { CONTINUE_AUTHENTICATION } from './auth-packet.js';
import type { UserProperties } from '../packets/packet.js';

/**
 * What an AUTH the client sends carries besides its Authentication Method (MQTT 5
 * 3.15.2.2): the Authentication Data, and a Reason String and User Properties. A
 * `respond` of the `authenticate` option may answer a challenge with one (or with the
 * data alone, as a `Uint8Array`), and `reauthenticate()` may start with one.
 *
 * @example
 * ```ts
 * const answer: AuthAnswer = { data: signature, userProperties: { device: 'press-17' } };
 * ```
 */
export interface AuthAnswer {
  /** The Authentication Data. */
  readonly data?: Uint8Array;
  /** A Reason String, for the server's logs. */
  readonly reasonString?: string;
  /** User Properties. */
  readonly userProperties?: UserProperties;
}

/**
 * An answer as given (`undefined`, the data alone, or an {@link AuthAnswer}), checked.
 *
 * @example
 * ```ts
 * toAuthAnswer(new Uint8Array([1]), 'the answer'); // { data: Uint8Array [1] }
 * toAuthAnswer('token', 'the answer');             // TypeError: the answer must be a Uint8Array, …, not string
 * ```
 * @param value what was given.
 * @param what what it is, for the error (`"authenticate.respond's answer"`, `'reauthenticate() data'`).
 * @returns the answer; a `TypeError` when it is none of those, or its properties cannot be encoded.
 */
export function toAuthAnswer(value: unknown, what: string): AuthAnswer | TypeError {
  if (value === undefined) return {};
  if (value instanceof Uint8Array) return { data: value };
  if (typeof value !== 'object' || value === null) {
    return new TypeError(`${what} must be a Uint8Array, an AuthAnswer or undefined, not ${value === null ? 'null' : typeof value}`);
  }
  const answer = value as AuthAnswer;
  if (answer.data !== undefined && !((answer.data as unknown) instanceof Uint8Array)) {
    return new TypeError(`${what}: data must be a Uint8Array`);
  }
  const { reasonString, userProperties } = answer;
  const problem = encodingProblem({ cmd: 'auth', reasonCode: CONTINUE_AUTHENTICATION, properties: { authenticationMethod: 'm', reasonString, userProperties } }, 5, what);
  return problem ?? answer;
}

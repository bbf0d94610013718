import { catchError, defer, forkJoin, map, type Observable, of, take, throwIfEmpty } from 'rxjs';
import type { Credentials } from '../protocol/credentials.js';
import type { BrokerUrl } from './broker-url.js';
import type { PerAttempt } from './client-options.js';
import { MqttCredentialsError } from './mqtt-credentials-error.js';
import type { ServerEntry } from './server-list.js';
import type { ServerTarget } from './server-target.js';
import { errorMessage } from '../packets/error-message.js';

const utf8 = new TextEncoder();

/**
 * The server and credentials of one connection attempt, asking the functions among
 * them (the server's URL, `username`, `password`, `authenticate.data`) for their first
 * value, all at once.
 * A function that fails, completes empty or gives a value of the wrong type (or a URL
 * that cannot be used) fails the Observable with {@link MqttCredentialsError}.
 *
 * @example
 * ```ts
 * attemptValues(entry, 'alice', () => from(fetchToken()), undefined, targetOf).subscribe(([target, credentials]) => …);
 * ```
 * @param entry the server of the attempt.
 * @param username the `username` option.
 * @param password the `password` option.
 * @param authenticationData `authenticate.data`, when it is a function (a plain value stays in the configuration).
 * @param targetOf parses a URL a function gave and picks its transport (throws when it cannot).
 * @returns emits the target and the credentials once, then completes.
 */
export function attemptValues(
  entry: ServerEntry,
  username: PerAttempt<string> | undefined,
  password: PerAttempt<string | Uint8Array> | undefined,
  authenticationData: (() => Observable<Uint8Array>) | undefined,
  targetOf: (url: string | URL) => ServerTarget,
): Observable<[ServerTarget, Credentials]> {
  const target$ =
    entry.kind === 'fixed'
      ? of(entry.target)
      : firstValue(entry.ask, entry.option, isUrl, 'a URL').pipe(
          map((url) => {
            let target: ServerTarget;
            try {
              target = targetOf(url);
            } catch (error) {
              throw new MqttCredentialsError(`${entry.option} gave ${String(url)}: ${errorMessage(error)}`, entry.option, error);
            }
            entry.last = target.server;
            return target;
          }),
        );
  const username$ = typeof username === 'function' ? firstValue(username, 'username', isString, 'a string') : of(username);
  const password$ =
    typeof password === 'function' ? firstValue(password, 'password', isPassword, 'a string or a Uint8Array') : of(password);
  const data$ = authenticationData === undefined ? of(undefined) : askAuthenticationData(authenticationData);
  return forkJoin([target$, username$, password$, data$]).pipe(
    map(([target, user, pass, data]): [ServerTarget, Credentials] => {
      const credentials = credentialsOf(target.broker, user, pass);
      return [target, data === undefined ? credentials : { ...credentials, authenticationData: data }];
    }),
  );
}

/**
 * Asks `authenticate.data`, when it is a function, for its first value.
 *
 * @example
 * ```ts
 * askAuthenticationData(() => of(freshNonce())).subscribe((data) => …);
 * ```
 * @param fn the function.
 * @returns emits the data once; fails with {@link MqttCredentialsError} (`option: 'authenticate.data'`).
 */
export function askAuthenticationData(fn: () => Observable<unknown>): Observable<Uint8Array> {
  return firstValue(fn, 'authenticate.data', isBytes, 'a Uint8Array');
}

/**
 * The credentials of an attempt: the options' (plain or asked) win over the URL's; a
 * string password goes as UTF-8.
 *
 * @example
 * ```ts
 * credentialsOf(parseBrokerUrl('mqtt://u:p@h'), undefined, 'token'); // { username: 'u', password: <token> }
 * ```
 * @param broker the server's URL, with the credentials found in it.
 * @param username the `username` option's value.
 * @param password the `password` option's value.
 * @returns what CONNECT carries.
 */
function credentialsOf(
  broker: BrokerUrl,
  username: string | undefined,
  password: string | Uint8Array | undefined,
): Credentials {
  const user = username ?? broker.username;
  const pass = password ?? broker.password;
  const bytes = typeof pass === 'string' ? utf8.encode(pass) : pass;
  if (user === undefined) return bytes === undefined ? {} : { password: bytes };
  return bytes === undefined ? { username: user } : { username: user, password: bytes };
}

/** The first value of an option's function, checked; every failure becomes a {@link MqttCredentialsError}. */
function firstValue<T>(
  fn: () => Observable<unknown>,
  option: string,
  valid: (value: unknown) => value is T,
  expected: string,
): Observable<T> {
  return defer(fn).pipe(
    take(1),
    throwIfEmpty(() => new MqttCredentialsError(`${option} completed without a value`, option)),
    map((value) => {
      if (!valid(value)) throw new MqttCredentialsError(`${option} gave ${typeof value}, not ${expected}`, option);
      return value;
    }),
    catchError((error: unknown) => {
      if (error instanceof MqttCredentialsError) throw error;
      throw new MqttCredentialsError(`${option} failed: ${errorMessage(error)}`, option, error);
    }),
  );
}

function isUrl(value: unknown): value is string | URL {
  return typeof value === 'string' || value instanceof URL;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isPassword(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}


/**
 * The user name and password of one connection attempt, as CONNECT carries them.
 * Given to `Session.opened`, they replace the configured ones for that attempt.
 */
export interface Credentials {
  readonly username?: string;
  readonly password?: Uint8Array;
  /** MQTT 5: the Authentication Data of this attempt's CONNECT, replacing the configured one. */
  readonly authenticationData?: Uint8Array;
}

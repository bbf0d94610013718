/** A PEM string or DER/PEM bytes. */
export type TlsMaterial = string | Uint8Array;

/**
 * TLS options for `mqtts:`, `tls:` and (in Node) `wss:` connections: the subset of
 * Node's `tls.ConnectionOptions` the transports pass on. Browser-safe (no Node types),
 * so `ClientOptions` can name it; browsers ignore it (their `WebSocket` has no TLS knobs).
 *
 * @example
 * ```ts
 * const options: TlsTransportOptions = { ca: readFileSync('ca.pem', 'utf8') };
 * ```
 */
export interface TlsTransportOptions {
  /** Trusted CA certificates (PEM); default Node's bundled roots. */
  ca?: TlsMaterial | TlsMaterial[];
  /** Client certificate chain (PEM), for mutual TLS. */
  cert?: TlsMaterial | TlsMaterial[];
  /** Client private key (PEM), for mutual TLS. */
  key?: TlsMaterial | TlsMaterial[];
  /** Passphrase of `key` or `pfx`. */
  passphrase?: string;
  /** PKCS#12 bundle holding key and certificate. */
  pfx?: TlsMaterial;
  /** Verify the server certificate; default true. */
  rejectUnauthorized?: boolean;
  /** Server name for SNI and the certificate check; default the URL's host name. */
  servername?: string;
  /** ALPN protocols to offer, e.g. `['mqtt']`. */
  ALPNProtocols?: string[];
  /** Lowest TLS version to accept. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Highest TLS version to offer. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list. */
  ciphers?: string;
}

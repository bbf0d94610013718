import type { ConnectionOptions } from 'node:tls';
import type { TlsMaterial, TlsTransportOptions } from './tls-options.js';

/** A Buffer view of bytes (no copy), or the string as it is: what Node's TLS types ask for. */
function material(value: TlsMaterial): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** One PEM item or a list of them, as Node's TLS types ask for. */
function materials(value: TlsMaterial | TlsMaterial[] | undefined): string | Buffer | Array<string | Buffer> | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(material) : material(value);
}

/**
 * Turns the browser-safe {@link TlsTransportOptions} into Node's `tls.ConnectionOptions`
 * (Uint8Array material viewed as Buffer, without copying); unset options stay unset.
 *
 * @param options the TLS options given to the transport.
 * @returns options for `tls.connect` (or `ws`'s client).
 */
export function toNodeTlsOptions(options: TlsTransportOptions): ConnectionOptions {
  const { ca, cert, key, pfx, ...rest } = options;
  const node: ConnectionOptions = { ...rest };
  const nodeCa = materials(ca);
  const nodeCert = materials(cert);
  const nodeKey = materials(key);
  if (nodeCa !== undefined) node.ca = nodeCa;
  if (nodeCert !== undefined) node.cert = nodeCert;
  if (nodeKey !== undefined) node.key = nodeKey;
  if (pfx !== undefined) node.pfx = material(pfx);
  return node;
}

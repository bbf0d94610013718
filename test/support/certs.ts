import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A test CA and a server certificate it signed, as files and as PEM text. */
export interface TestCerts {
  /** The temp directory holding the files. */
  readonly dir: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** CA certificate, PEM. */
  readonly ca: string;
  /** Server certificate (CN localhost; SAN localhost, 127.0.0.1, ::1), PEM. */
  readonly cert: string;
  /** Server private key, PEM. */
  readonly key: string;
  /** Deletes the directory. */
  cleanup(): void;
}

/** Runs openssl quietly; throws with its stderr on failure. */
function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Generates, with `openssl` in a new temp dir, a CA and a server certificate for
 * `localhost` / `127.0.0.1` / `::1` (EC P-256, valid two days). Call `cleanup()` when done.
 *
 * @returns paths and PEM strings.
 */
export function generateCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-certs-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, [
    'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=rx-mqtt test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n') + '\n',
  );
  openssl(dir, [
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext',
  ]);
  const caPath = join(dir, 'ca.pem');
  const certPath = join(dir, 'server.pem');
  const keyPath = join(dir, 'server.key');
  return {
    dir,
    caPath,
    certPath,
    keyPath,
    ca: readFileSync(caPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

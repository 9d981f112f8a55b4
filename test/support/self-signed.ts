/** A self-signed certificate for one IP address, made by openssl: for the HTTPS tests and benchmarks. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** cert.pem and key.pem in `dir` for `address`; undefined when openssl is missing or fails. */
export function selfSignedCertificate(
  dir: string,
  address: string,
): { cert: string; key: string } | undefined {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=sflowkit-test',
    '-addext',
    `subjectAltName=IP:${address}`,
  ]);
  return r.status === 0 && !r.error ? { cert, key } : undefined;
}

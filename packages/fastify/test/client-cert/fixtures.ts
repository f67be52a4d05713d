/**
 * Client-certificate fixtures made by the `openssl` CLI, the way an operator makes them:
 * `req -x509` for the root, `x509 -req` for the intermediate, `openssl ca` for the users'
 * certificates and the CRL. Everything lives in a fresh temp directory per test file.
 *
 *   root (P-256, CA) ── intermediate (P-256, CA, pathlen 0) ── valid, expired, revokedByCrl,
 *                                                              revokedByFingerprint, serverAuthOnly
 *   foreign root ── foreign (a user certificate from a CA nobody configured)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { opensslOk } from '@ecp/testkit';

export interface ClientFixture {
  /** Certificate PEM path and text, key PEM path (unencrypted PKCS#8). */
  certFile: string;
  keyFile: string;
  certPem: string;
  /** DER of the certificate. */
  der: Buffer;
  /** `AA:BB:...` SHA-256 fingerprint, as `fingerprint()` prints it. */
  sha256: string;
  sha1: string;
  serial: string;
}

export interface ClientCertificateFixtures {
  dir: string;
  rootFile: string;
  rootPem: string;
  intermediateFile: string;
  intermediatePem: string;
  intermediateKeyFile: string;
  /** The root and the intermediate in one PEM file: what `ECP_CLIENT_CA` / nginx would point at. */
  caBundleFile: string;
  /** CRL of the intermediate, listing `revokedByCrl`; and the root's empty CRL. */
  intermediateCrlFile: string;
  rootCrlFile: string;
  valid: ClientFixture;
  expired: ClientFixture;
  revokedByCrl: ClientFixture;
  revokedByFingerprint: ClientFixture;
  serverAuthOnly: ClientFixture;
  foreign: ClientFixture;
  /** A TLS server certificate for localhost / 127.0.0.1, issued by the root (for nginx and Fastify HTTPS). */
  serverCertFile: string;
  serverKeyFile: string;
  /** Issues one more client certificate from the intermediate (CN = `commonName`). */
  issueClient(name: string, commonName: string, extra?: { days?: number; extensions?: 'client' | 'server' }): ClientFixture;
  cleanup(): void;
}

const CA_CONFIG = (dir: string, name: string) => `
[ ca ]
default_ca = ${name}

[ ${name} ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_days = 365
default_crl_days = 30
policy = policy_any
unique_subject = no
copy_extensions = none

[ policy_any ]
commonName = supplied
organizationName = optional

[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ server_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ crl_ext ]
authorityKeyIdentifier = keyid
`;

const CA_EXTENSIONS = (pathlen?: number) =>
  [
    `basicConstraints = critical, CA:TRUE${pathlen === undefined ? '' : `, pathlen:${pathlen}`}`,
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
  ].join('\n');

function p256Key(file: string): void {
  opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** A CA directory `openssl ca` can work in. */
function caDirectory(dir: string, certFile: string, keyFile: string): string {
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'ca.pem'), readFileSync(certFile));
  writeFileSync(join(dir, 'ca.key'), readFileSync(keyFile));
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, CA_CONFIG(dir, 'ca_default'));
  return config;
}

function describeCert(certFile: string, keyFile: string): ClientFixture {
  const certPem = readFileSync(certFile, 'utf8');
  const x509 = new X509Certificate(certPem);
  const der = x509.raw;
  const colon = (hash: 'sha1' | 'sha256') => createHash(hash).update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
  return { certFile, keyFile, certPem, der, sha256: colon('sha256'), sha1: colon('sha1'), serial: x509.serialNumber.toLowerCase() };
}

export function createClientCertificateFixtures(): ClientCertificateFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'ecp-client-certs-'));
  try {
    return build(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function build(dir: string): ClientCertificateFixtures {
  const path = (name: string) => join(dir, name);
  const extFile = (name: string, text: string) => {
    writeFileSync(path(name), text);
    return path(name);
  };

  // Root and intermediate.
  p256Key(path('root.key'));
  opensslOk(['req', '-x509', '-new', '-key', path('root.key'), '-subj', '/O=ecp tests/CN=ecp test root', '-days', '3650', '-sha256',
    '-extensions', 'v3_ca', '-config', extFile('root.cnf', `[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\n${CA_EXTENSIONS()}\n`), '-out', path('root.pem')]);
  p256Key(path('intermediate.key'));
  opensslOk(['req', '-new', '-key', path('intermediate.key'), '-subj', '/O=ecp tests/CN=ecp test intermediate', '-out', path('intermediate.csr')]);
  opensslOk(['x509', '-req', '-in', path('intermediate.csr'), '-CA', path('root.pem'), '-CAkey', path('root.key'), '-CAcreateserial',
    '-days', '3650', '-sha256', '-extfile', extFile('intermediate.ext', CA_EXTENSIONS(0)), '-out', path('intermediate.pem')]);

  const rootCa = caDirectory(path('root-ca'), path('root.pem'), path('root.key'));
  const intermediateCa = caDirectory(path('intermediate-ca'), path('intermediate.pem'), path('intermediate.key'));

  const issue = (
    config: string,
    name: string,
    commonName: string,
    { days = 365, extensions = 'client' as 'client' | 'server' | 'server_localhost', startdate, enddate }: { days?: number; extensions?: 'client' | 'server' | 'server_localhost'; startdate?: string; enddate?: string } = {},
  ): ClientFixture => {
    p256Key(path(`${name}.key`));
    opensslOk(['req', '-new', '-key', path(`${name}.key`), '-subj', `/CN=${commonName}`, '-out', path(`${name}.csr`)]);
    const validity = startdate !== undefined && enddate !== undefined ? ['-startdate', startdate, '-enddate', enddate] : ['-days', String(days)];
    opensslOk(['ca', '-batch', '-notext', '-config', config, '-extensions', extensions, ...validity, '-in', path(`${name}.csr`), '-out', path(`${name}.pem`)]);
    return describeCert(path(`${name}.pem`), path(`${name}.key`));
  };

  const valid = issue(intermediateCa, 'valid', 'alice');
  const expired = issue(intermediateCa, 'expired', 'alice', { startdate: '20200101000000Z', enddate: '20210101000000Z' });
  const revokedByCrl = issue(intermediateCa, 'revoked-crl', 'alice');
  const revokedByFingerprint = issue(intermediateCa, 'revoked-fingerprint', 'alice');
  const serverAuthOnly = issue(intermediateCa, 'server-only', 'alice', { extensions: 'server' });

  opensslOk(['ca', '-batch', '-config', intermediateCa, '-revoke', path('revoked-crl.pem'), '-crl_reason', 'keyCompromise']);
  opensslOk(['ca', '-batch', '-gencrl', '-config', intermediateCa, '-crlexts', 'crl_ext', '-out', path('intermediate.crl.pem')]);
  opensslOk(['ca', '-batch', '-gencrl', '-config', rootCa, '-crlexts', 'crl_ext', '-out', path('root.crl.pem')]);

  // A CA nobody trusts, issuing a certificate that looks like alice's.
  p256Key(path('foreign-root.key'));
  opensslOk(['req', '-x509', '-new', '-key', path('foreign-root.key'), '-subj', '/O=somewhere else/CN=foreign root', '-days', '3650', '-sha256',
    '-extensions', 'v3_ca', '-config', path('root.cnf'), '-out', path('foreign-root.pem')]);
  const foreignCa = caDirectory(path('foreign-ca'), path('foreign-root.pem'), path('foreign-root.key'));
  const foreign = issue(foreignCa, 'foreign', 'alice');

  const server = issue(rootCa, 'server', 'localhost', { extensions: 'server_localhost' });

  writeFileSync(path('ca-bundle.pem'), readFileSync(path('root.pem'), 'utf8') + readFileSync(path('intermediate.pem'), 'utf8'));

  let counter = 0;
  return {
    dir,
    rootFile: path('root.pem'),
    rootPem: readFileSync(path('root.pem'), 'utf8'),
    intermediateFile: path('intermediate.pem'),
    intermediatePem: readFileSync(path('intermediate.pem'), 'utf8'),
    intermediateKeyFile: path('intermediate.key'),
    caBundleFile: path('ca-bundle.pem'),
    intermediateCrlFile: path('intermediate.crl.pem'),
    rootCrlFile: path('root.crl.pem'),
    serverCertFile: server.certFile,
    serverKeyFile: server.keyFile,
    valid,
    expired,
    revokedByCrl,
    revokedByFingerprint,
    serverAuthOnly,
    foreign,
    issueClient: (name, commonName, extra = {}) => issue(intermediateCa, `extra-${++counter}-${name}`, commonName, extra),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

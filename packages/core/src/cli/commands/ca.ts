/**
 * `ecp ca`: a small certificate authority for client certificates.
 *
 * - `ecp ca init`  a self-signed CA: basicConstraints cA=TRUE and keyUsage keyCertSign|cRLSign
 *   (both critical), SKI; its key written encrypted (PKCS#8 PBES2, as every ecp key file).
 * - `ecp ca issue` a P-256 user key and certificate signed by the CA (cA=FALSE, keyUsage
 *   digitalSignature, EKU clientAuth, SKI, AKI), the encrypted key file and optionally a
 *   `.p12` with the key, the certificate and the CA certificate: the one file that both logs
 *   in with a signed nonce and passes TLS client authentication.
 * - `ecp ca crl`   a CRL signed by the CA, listing the certificates given.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseCrl } from '../../chain/crl.js';
import { CertificatePathError } from '../../chain/errors.js';
import { ChainVerifier } from '../../chain/verifier.js';
import { EcpError, WrongPassphraseError } from '../../errors.js';
import { DEFAULT_KEY_FILE_ITERATIONS } from '../../keys/encrypted-pkcs8.js';
import { nodeKeyFileCrypto } from '../../keys/node-backend.js';
import { encryptPrivateKey, generateKeyPair } from '../../keys/node-keys.js';
import { writePkcs12 } from '../../keys/node-pkcs12.js';
import { pbes2Password } from '../../keys/passphrase.js';
import { pbes2Encrypt } from '../../keys/pbes2.js';
import { encodeEncryptedPrivateKeyInfo } from '../../keys/pkcs8.js';
import { encodePem, looksLikePem } from '../../pem.js';
import { createCertificateRevocationList, createSelfSignedCertificate, issueCertificate } from '../../x509/build.js';
import { certificateToPem, type Certificate } from '../../x509/certificate.js';
import { fingerprint } from '../../x509/fingerprint.js';
import { PASSPHRASE_USAGE, parseCommandArgs, parseIntegerOption, passphraseSource, requireOption } from '../args.js';
import { DAY_MS, NEW_KEY_OPTIONS, checkCommonName, checkCredentialOutputs, credentialOutputs, daysOf, iterationsOf } from '../certificate-options.js';
import { isoTime, keyTypeLabel } from '../describe.js';
import { UsageError } from '../errors.js';
import { checkOutputPaths, readInputFile, writeOutputFiles, type OutputFile } from '../files.js';
import type { CliIo, PassphraseSource } from '../io.js';
import { loadCertificate } from '../key-input.js';

export const name = 'ca';
export const summary = 'a certificate authority for client certificates: init, issue, crl';
export const usage = `Usage: ecp ca init  --cn NAME --out-key FILE --out-cert FILE [options]
       ecp ca issue --ca-cert FILE --ca-key FILE --cn NAME --out-key FILE --out-cert FILE [options]
       ecp ca crl   --ca-cert FILE --ca-key FILE --out FILE [--revoke CERT...] [options]

init   makes a CA key and a self-signed CA certificate (basicConstraints cA=TRUE and keyUsage
       keyCertSign, cRLSign, both critical; subjectKeyIdentifier). The key file is encrypted
       (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC).
issue  makes a P-256 user key and a certificate for it signed by the CA (subject CN=NAME,
       keyUsage digitalSignature, extendedKeyUsage clientAuth, key identifiers), the
       encrypted key file, and with --p12 a PKCS#12 file holding the key, the certificate and
       the CA certificate (for browsers, curl --cert, and ecp logins alike).
crl    makes a CRL signed by the CA that lists the given certificates as revoked.
Existing files are never replaced unless --force is given.

init options:
  --cn NAME               the CA's common name (required)
  --days N                validity in days (default 3650)
  --key-type TYPE         p256 (default), p384, rsa2048 or rsa4096
  --path-length N         pathLenConstraint (how many intermediate CAs may follow; default none)
  --out-key FILE          where to write the encrypted CA key, PEM (required; mode 0600)
  --out-cert FILE         where to write the CA certificate, PEM (required)
  --passphrase-env NAME, --passphrase-file PATH: the passphrase of the new CA key file

issue options:
  --ca-cert FILE          the CA certificate (required)
  --ca-key FILE           the CA's private key (required)
  --ca-passphrase-env NAME, --ca-passphrase-file PATH: the CA key's passphrase (else prompted
                          for on a terminal, when the key is encrypted)
  --cn NAME               the user's common name: the username (required)
  --days N                validity in days (default 365; never beyond the CA's own notAfter)
  --out-key FILE          where to write the user's encrypted key, PEM (required; mode 0600)
  --out-cert FILE         where to write the user's certificate, PEM (required)
  --p12 FILE              also write a PKCS#12 file, protected by the same passphrase (mode 0600)
  --passphrase-env NAME, --passphrase-file PATH: the passphrase of the new user key file

crl options:
  --ca-cert FILE, --ca-key FILE, --ca-passphrase-env NAME, --ca-passphrase-file PATH: as above
  --revoke CERT           a certificate file (PEM or DER) issued by this CA to list; repeatable
  --days N                days until the CRL's nextUpdate (default 30)
  --crl-number N          the cRLNumber (default: the current Unix time, which only grows)
  --out FILE              where to write the CRL, PEM (required)

Common options:
  --iterations N          PBKDF2 iterations of a new key file (default ${DEFAULT_KEY_FILE_ITERATIONS})
  --force                 overwrite output files that already exist
${PASSPHRASE_USAGE}
  -h, --help              show this help
`;


const CA_KEY_OPTIONS = {
  'ca-cert': { type: 'string' },
  'ca-key': { type: 'string' },
  'ca-passphrase-env': { type: 'string' },
  'ca-passphrase-file': { type: 'string' },
} as const;

type KeyType = 'p256' | 'p384' | 'rsa2048' | 'rsa4096';
const KEY_TYPES: readonly KeyType[] = ['p256', 'p384', 'rsa2048', 'rsa4096'];

function newCaKey(type: KeyType): KeyObject {
  switch (type) {
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'rsa4096':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
  }
}

/**
 * A CA key of any type as an encrypted key file shaped like the contract's (PBES2,
 * PBKDF2-HMAC-SHA256, AES-256-CBC). Built from the PBES2 primitives: `encryptPrivateKey`
 * makes user key files and takes P-256 keys only.
 */
async function encryptAnyKey(key: KeyObject, passphrase: string, iterations: number): Promise<string> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const pkcs8 = new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
  try {
    const { algorithm, ciphertext } = await pbes2Encrypt(pbes2Password(passphrase), pkcs8, nodeKeyFileCrypto, { iterations });
    return encodePem('ENCRYPTED PRIVATE KEY', encodeEncryptedPrivateKeyInfo(algorithm, ciphertext));
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * The CA's private key, of any type node:crypto reads: PEM (PKCS#8, encrypted or not, SEC1,
 * PKCS#1) or DER PKCS#8. The passphrase is asked for only when the key is encrypted.
 */
async function loadCaKey(path: string, source: PassphraseSource, io: CliIo): Promise<KeyObject> {
  const bytes = await readInputFile(path, 'CA key file', 256 * 1024);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = looksLikePem(bytes) ? 'pem' : 'der';
  const load = (passphrase?: string): KeyObject =>
    createPrivateKey(format === 'pem' ? { key: buffer, format, ...(passphrase === undefined ? {} : { passphrase }) } : { key: buffer, format, type: 'pkcs8', ...(passphrase === undefined ? {} : { passphrase }) });
  const given = source.passphraseEnv !== undefined || source.passphraseFile !== undefined;
  const withPassphrase = async (): Promise<KeyObject> => {
    const passphrase = await io.readPassphrase({ ...source, purpose: `the CA key file ${path}` });
    try {
      return load(passphrase);
    } catch (error) {
      if (/bad decrypt|decrypt/i.test((error as Error).message)) throw new EcpError(`${path}: ${new WrongPassphraseError().message}`, 'ECP_WRONG_PASSPHRASE');
      throw new EcpError(`${path}: not a private key node:crypto can read (${(error as Error).message})`);
    }
  };
  if (given) return withPassphrase();
  try {
    return load();
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MISSING_PASSPHRASE') return withPassphrase();
    throw new EcpError(`${path}: not a private key node:crypto can read (${(error as Error).message})`);
  }
}

/** The CA certificate, refused when it may not issue certificates or is not currently valid. */
async function loadCaCertificate(path: string): Promise<Certificate> {
  const certificate = await loadCertificate(path);
  if (!certificate.basicConstraints?.cA) throw new EcpError(`${path}: not a CA certificate (basicConstraints cA=TRUE is missing)`);
  if (certificate.keyUsage && !certificate.keyUsage.keyCertSign) throw new EcpError(`${path}: the CA certificate's keyUsage lacks keyCertSign`);
  const now = Date.now();
  if (now > certificate.notAfter.getTime()) throw new EcpError(`${path}: the CA certificate expired at ${isoTime(certificate.notAfter)}`);
  if (now < certificate.notBefore.getTime()) throw new EcpError(`${path}: the CA certificate is not valid before ${isoTime(certificate.notBefore)}`);
  return certificate;
}

function caPassphraseSource(values: { 'ca-passphrase-env'?: string | undefined; 'ca-passphrase-file'?: string | undefined }): PassphraseSource {
  return { passphraseEnv: values['ca-passphrase-env'], passphraseFile: values['ca-passphrase-file'] };
}

function certificateLines(certificate: Certificate): string[] {
  return [
    `subject:        ${certificate.subject.toString()}`,
    `issuer:         ${certificate.issuer.toString()}`,
    `key:            ${keyTypeLabel(certificate.publicKey)}`,
    `serial:         ${certificate.serialNumber}`,
    `not before:     ${isoTime(certificate.notBefore)}`,
    `not after:      ${isoTime(certificate.notAfter)}`,
    `SHA-256:        ${fingerprint(certificate, 'sha256')}`,
  ];
}

async function init(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { options: { ...NEW_KEY_OPTIONS, 'key-type': { type: 'string' }, 'path-length': { type: 'string' } } });
  const commonName = checkCommonName(requireOption(values.cn, 'cn'));
  const keyPath = requireOption(values['out-key'], 'out-key');
  const certPath = requireOption(values['out-cert'], 'out-cert');
  const days = daysOf(values.days, 3650);
  const keyType = (values['key-type'] ?? 'p256') as KeyType;
  if (!KEY_TYPES.includes(keyType)) throw new UsageError(`--key-type must be one of ${KEY_TYPES.join(', ')}, not '${values['key-type']}'`);
  const pathLength = values['path-length'] === undefined ? undefined : parseIntegerOption(values['path-length'], 'path-length', 0, 16);
  const iterations = iterationsOf(values.iterations);
  const force = values.force ?? false;
  await checkOutputPaths([{ path: keyPath, what: 'CA key' }, { path: certPath, what: 'CA certificate' }], force);

  const passphrase = await io.readPassphrase({ ...passphraseSource(values), purpose: `the new CA key file ${keyPath}`, confirm: true });
  const privateKey = newCaKey(keyType);
  const certificate = createSelfSignedCertificate({
    privateKey,
    subject: { CN: commonName },
    profile: 'ca',
    days,
    ...(pathLength === undefined ? {} : { pathLength }),
  });
  await writeOutputFiles(
    [
      { path: keyPath, what: 'CA key', mode: 0o600, data: await encryptAnyKey(privateKey, passphrase, iterations) },
      { path: certPath, what: 'CA certificate', mode: 0o644, data: certificateToPem(certificate) },
    ],
    force,
  );
  io.stdout.write(
    [`CA key:         ${keyPath} (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, ${iterations} iterations, AES-256-CBC)`, `CA certificate: ${certPath}`, ...certificateLines(certificate), ''].join('\n'),
  );
  return 0;
}

async function issue(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { options: { ...NEW_KEY_OPTIONS, ...CA_KEY_OPTIONS, p12: { type: 'string' } } });
  const caCertPath = requireOption(values['ca-cert'], 'ca-cert');
  const caKeyPath = requireOption(values['ca-key'], 'ca-key');
  const commonName = checkCommonName(requireOption(values.cn, 'cn'));
  const outputs = credentialOutputs(values);
  const { keyPath, certPath, p12Path } = outputs;
  const days = daysOf(values.days, 365);
  const iterations = iterationsOf(values.iterations);
  const force = values.force ?? false;
  await checkCredentialOutputs(outputs, force);

  const caCertificate = await loadCaCertificate(caCertPath);
  const caKey = await loadCaKey(caKeyPath, caPassphraseSource(values), io);
  const passphrase = await io.readPassphrase({ ...passphraseSource(values), purpose: `the new key file ${keyPath}`, confirm: true });

  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  let notAfter = new Date(notBefore.getTime() + days * DAY_MS);
  if (notAfter.getTime() > caCertificate.notAfter.getTime()) {
    notAfter = caCertificate.notAfter;
    io.stderr.write(`ecp: warning: the certificate ends with the CA certificate, at ${isoTime(notAfter)}\n`);
  }
  const { privateKey } = generateKeyPair();
  const certificate = issueCertificate({
    subjectPublicKey: privateKey,
    subject: { CN: commonName },
    issuerCertificate: caCertificate,
    issuerKey: caKey,
    profile: 'client',
    notBefore,
    notAfter,
  });
  // The certificate must pass the validation the server applies, with this CA as the anchor.
  try {
    new ChainVerifier({ trustAnchors: [caCertificate] }).verify(certificate, { at: notBefore });
  } catch (error) {
    if (error instanceof CertificatePathError) throw new EcpError(`the issued certificate would not validate against ${caCertPath}: ${error.message}`);
    throw error;
  }

  const files: OutputFile[] = [
    { path: keyPath, what: 'private key', mode: 0o600, data: await encryptPrivateKey(privateKey, passphrase, { iterations }) },
    { path: certPath, what: 'certificate', mode: 0o644, data: certificateToPem(certificate) },
  ];
  if (p12Path) {
    const p12 = await writePkcs12({ privateKey, certificate, chain: [caCertificate.der], passphrase, friendlyName: commonName });
    files.push({ path: p12Path, what: 'PKCS#12 file', mode: 0o600, data: p12 });
  }
  await writeOutputFiles(files, force);
  io.stdout.write(
    [
      `private key:    ${keyPath} (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, ${iterations} iterations, AES-256-CBC)`,
      `certificate:    ${certPath}`,
      ...(p12Path ? [`PKCS#12:        ${p12Path} (key, certificate and CA certificate; same passphrase)`] : []),
      ...certificateLines(certificate),
      '',
    ].join('\n'),
  );
  return 0;
}

async function crl(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: {
      ...CA_KEY_OPTIONS,
      revoke: { type: 'string', multiple: true },
      days: { type: 'string' },
      'crl-number': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  const caCertPath = requireOption(values['ca-cert'], 'ca-cert');
  const caKeyPath = requireOption(values['ca-key'], 'ca-key');
  const outPath = requireOption(values.out, 'out');
  const days = daysOf(values.days, 30);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const crlNumber = values['crl-number'] === undefined ? Math.floor(now.getTime() / 1000) : parseIntegerOption(values['crl-number'], 'crl-number', 0, Number.MAX_SAFE_INTEGER);
  const force = values.force ?? false;
  await checkOutputPaths([{ path: outPath, what: 'CRL' }], force);

  const caCertificate = await loadCaCertificate(caCertPath);
  if (caCertificate.keyUsage && !caCertificate.keyUsage.cRLSign) throw new EcpError(`${caCertPath}: the CA certificate's keyUsage lacks cRLSign`);
  const revoked: Certificate[] = [];
  for (const path of values.revoke ?? []) {
    const certificate = await loadCertificate(path);
    if (Buffer.compare(certificate.issuer.der, caCertificate.subject.der) !== 0) {
      throw new EcpError(`${path}: not issued by this CA (its issuer is ${certificate.issuer.toString()})`);
    }
    revoked.push(certificate);
  }
  const caKey = await loadCaKey(caKeyPath, caPassphraseSource(values), io);
  const der = createCertificateRevocationList({
    issuerCertificate: caCertificate,
    issuerKey: caKey,
    revoked: revoked.map((c) => ({ serial: c.serialNumber, date: now })),
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + days * DAY_MS),
    crlNumber,
  });
  const parsed = parseCrl(der);
  await writeOutputFiles([{ path: outPath, what: 'CRL', mode: 0o644, data: encodePem('X509 CRL', der) }], force);
  io.stdout.write(
    [
      `CRL:            ${outPath}`,
      `issuer:         ${parsed.issuer.toString()}`,
      `CRL number:     ${crlNumber}`,
      `this update:    ${isoTime(parsed.thisUpdate)}`,
      `next update:    ${parsed.nextUpdate ? isoTime(parsed.nextUpdate) : '(none)'}`,
      `revoked:        ${revoked.length === 0 ? '(none)' : revoked.map((c) => `${c.serialNumber} ${c.subject.toString()}`).join('\n                ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'init':
      return init(rest, io);
    case 'issue':
      return issue(rest, io);
    case 'crl':
      return crl(rest, io);
    case undefined:
      throw new UsageError('missing subcommand: init, issue or crl');
    default:
      throw new UsageError(`unknown subcommand '${subcommand}' (init, issue or crl)`);
  }
}

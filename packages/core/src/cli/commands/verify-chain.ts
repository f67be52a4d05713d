/**
 * `ecp verify-chain`: client-certificate path validation exactly as the server does it
 * (`ChainVerifier` of @ecp/core): trust anchors, untrusted intermediates, CRLs, a SHA-256
 * fingerprint denylist and an evaluation time. Exit 0 valid (the path is printed), 1 invalid
 * (`invalid: <reason> (<subject>)`), 2 bad usage or an unreadable file.
 */
import { CertificatePathError } from '../../chain/errors.js';
import { MAX_CRL_PEM_LENGTH, parseCrls, type CertificateRevocationList } from '../../chain/crl.js';
import { ChainVerifier, normalizeFingerprint, parseCertificateList } from '../../chain/verifier.js';
import { EcpError } from '../../errors.js';
import { decodePemBlocks, looksLikePem } from '../../pem.js';
import { CERTIFICATE_PEM_LABELS, type Certificate } from '../../x509/certificate.js';
import { fingerprint } from '../../x509/fingerprint.js';
import { parseCommandArgs } from '../args.js';
import { isoTime } from '../describe.js';
import { UsageError } from '../errors.js';
import { readInputFile } from '../files.js';
import type { CliIo } from '../io.js';
import { inFile } from '../key-input.js';

export const name = 'verify-chain';
export const summary = 'validate a client certificate against trusted CAs, CRLs and a denylist';
export const usage = `Usage: ecp verify-chain LEAF --ca FILE... [options]

Validates the client certificate in LEAF (PEM or DER) as the ecp server does: builds a
certification path to one of the trusted CA certificates (trying every candidate issuer,
whatever the order of the files), checks every signature (RSA PKCS#1 v1.5 and PSS,
ECDSA P-256/P-384, Ed25519; SHA-1, MD5 and RSA keys under 2048 bits are refused),
validity periods (inclusive), basicConstraints and pathLenConstraint, keyUsage, the
clientAuth extended key usage, critical extensions, CRLs and the fingerprint denylist.
Further certificates in the LEAF file are used as untrusted intermediates.

Prints 'valid' and the path, leaf first (exit 0), or 'invalid: <reason> (<subject>)' and
what failed (exit 1). Reasons: expired, not_yet_valid, untrusted, bad_signature, not_a_ca,
path_length, key_usage, eku, critical_extension, revoked, weak_algorithm, malformed.
A file that cannot be read or holds no certificate (or CRL), or bad usage: exit 2.

Options:
  --ca FILE...               trusted CA certificates, PEM (several per file) or DER;
                             several files after one --ca, or --ca repeated (one required)
  --untrusted FILE...        intermediate CA certificates that may be used to build the path
  --crl FILE...              CRLs, PEM (several per file) or DER; an issuer whose CRL is given
                             must have a current, verifying CRL, or the path fails closed
  --revoked-fingerprint FP...  a SHA-256 certificate fingerprint to refuse (hex, colons allowed);
                             applies to every certificate of the path; repeatable
  --at TIME                  validate at this time instead of now: ISO 8601 with a time zone
                             (2030-01-01T00:00:00Z) or a date (2030-01-01, midnight UTC)
  --json                     print the result as JSON
  -h, --help                 show this help
`;

const OPTIONS = {
  ca: { type: 'string', multiple: true },
  untrusted: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  'revoked-fingerprint': { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function parseAt(text: string): Date {
  const date = new Date(text);
  if (!ISO_DATE_TIME.test(text) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--at takes an ISO 8601 time with a time zone (2030-01-01T00:00:00Z) or a date, not '${text}'`);
  }
  return date;
}

/** Certificates of a CA or intermediates file: unreadable or certificate-less files are exit 2. */
async function loadCertificates(path: string, what: string): Promise<Certificate[]> {
  const bytes = await readInputFile(path, what);
  try {
    return parseCertificateList(bytes);
  } catch (error) {
    return inFile(path, error);
  }
}

async function loadCrls(path: string): Promise<CertificateRevocationList[]> {
  const bytes = await readInputFile(path, 'CRL file', MAX_CRL_PEM_LENGTH);
  try {
    return parseCrls(bytes);
  } catch (error) {
    return inFile(path, error);
  }
}

/**
 * The leaf file: its bytes go to the validator as they are, so that a certificate that breaks
 * the DER rules is the verdict `malformed` (exit 1), as for the server. A PEM file holding no
 * CERTIFICATE block at all (a key file picked by mistake) is unusable input (exit 2). Further
 * PEM certificates after the first are returned as intermediates.
 */
async function loadLeaf(path: string): Promise<{ leaf: Uint8Array; extra: Certificate[] }> {
  const bytes = await readInputFile(path, 'certificate');
  if (!looksLikePem(bytes)) return { leaf: bytes, extra: [] };
  let blocks;
  try {
    blocks = decodePemBlocks(new TextDecoder().decode(bytes)).filter((b) => (CERTIFICATE_PEM_LABELS as readonly string[]).includes(b.label));
  } catch (error) {
    return inFile(path, error);
  }
  if (blocks.length === 0) throw new EcpError(`${path}: no PEM CERTIFICATE block found (is it a certificate?)`);
  const extra: Certificate[] = [];
  for (const block of blocks.slice(1)) {
    try {
      extra.push(...parseCertificateList(block.der));
    } catch (error) {
      inFile(path, error);
    }
  }
  return { leaf: blocks[0]!.der, extra };
}

function describePath(path: readonly Certificate[]): object[] {
  return path.map((c) => ({
    subject: c.subject.toString(),
    issuer: c.issuer.toString(),
    serialNumber: c.serialNumber,
    notBefore: isoTime(c.notBefore),
    notAfter: isoTime(c.notAfter),
    sha256: fingerprint(c, 'sha256'),
  }));
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: OPTIONS, positionals: { min: 1, max: 1, names: 'LEAF' }, greedy: ['ca', 'untrusted', 'crl', 'revoked-fingerprint'] });
  const caFiles = values.ca ?? [];
  if (caFiles.length === 0) throw new UsageError('missing --ca (the trusted CA certificates)');
  const at = values.at === undefined ? new Date() : parseAt(values.at);
  const revokedFingerprints = (values['revoked-fingerprint'] ?? []).map((fp) => {
    try {
      return normalizeFingerprint(fp);
    } catch (error) {
      throw new UsageError(`--revoked-fingerprint: ${(error as Error).message}`);
    }
  });

  const trustAnchors: Certificate[] = [];
  for (const file of caFiles) trustAnchors.push(...(await loadCertificates(file, 'CA file')));
  const intermediates: Certificate[] = [];
  for (const file of values.untrusted ?? []) intermediates.push(...(await loadCertificates(file, 'intermediates file')));
  const crls: CertificateRevocationList[] = [];
  for (const file of values.crl ?? []) crls.push(...(await loadCrls(file)));
  const { leaf, extra } = await loadLeaf(positionals[0]!);
  intermediates.push(...extra);

  const verifier = new ChainVerifier({ trustAnchors, intermediates, crls, revokedFingerprints });
  try {
    const { path } = verifier.verify(leaf, { at });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ valid: true, at: at.toISOString(), path: describePath(path) }, null, 2)}\n`);
    } else {
      const lines = path.map((c, i) => `  ${i} ${c.subject.toString() || '(empty subject)'}${i === path.length - 1 ? '  [trust anchor]' : ''}`);
      io.stdout.write(`valid\n${lines.join('\n')}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof CertificatePathError)) throw error;
    if (values.json) {
      const result = { valid: false, at: at.toISOString(), reason: error.reason, subject: error.subject, detail: error.detail };
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      io.stdout.write(`invalid: ${error.reason}${error.subject ? ` (${error.subject})` : ''}\n  ${error.detail}\n`);
    }
    return 1;
  }
}

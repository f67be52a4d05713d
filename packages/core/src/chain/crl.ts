/**
 * Certificate revocation lists (RFC 5280 §5): strict parsing. Whether a CRL may be used for
 * a certificate (issuer, signature, cRLSign, freshness) is decided in `revocation.ts`.
 *
 * Parsing is as strict as for certificates: one DER element and nothing after it, the inner
 * and outer signature algorithms byte-identical, version v2 when extensions are present,
 * extensions unique. Extensions ecp does not process are kept; a critical one among them
 * (a delta-CRL indicator, an issuing distribution point, an indirect-CRL entry) is listed in
 * `unsupportedCriticalExtensions`, which makes the CRL unusable rather than misread.
 */
import { bytesEqual } from '../bytes.js';
import { EcpError, InputTooLargeError, MalformedInputError } from '../errors.js';
import { decodePemBlocks, looksLikePem } from '../pem.js';
import {
  TAG,
  childrenOf,
  contextConstructed,
  decodeDer,
  expectTag,
  readOctetAlignedBits,
  readSmallInteger,
  readTime,
  sequence,
  type DerElement,
} from '../der/reader.js';
import { OID } from '../der/oids.js';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from '../x509/algorithms.js';
import { formatSerialNumber } from '../x509/certificate.js';
import { decodeAuthorityKeyIdentifier, parseExtensions, type Extension } from '../x509/extensions.js';
import { parseName, type DistinguishedName } from '../x509/name.js';

/** Bound on one CRL's DER: large enough for ~200 000 entries, small enough to parse at once. */
export const MAX_CRL_SIZE = 8 * 1024 * 1024;
/** Bound on PEM text holding CRLs (base64 adds a third). */
export const MAX_CRL_PEM_LENGTH = 12 * 1024 * 1024;

export const CRL_PEM_LABEL = 'X509 CRL';

export interface RevokedCertificate {
  /** Lower-case hex, formatted exactly like `Certificate.serialNumber`. */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  /** CRLReason (RFC 5280 §5.3.1) when the entry has one. */
  readonly reasonCode?: number;
  readonly extensions: readonly Extension[];
}

export interface CertificateRevocationList {
  readonly der: Uint8Array;
  /** The TBSCertList DER: the bytes the issuer signed. */
  readonly tbs: Uint8Array;
  readonly version: 1 | 2;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revokedCertificates: readonly RevokedCertificate[];
  /** The serial numbers of `revokedCertificates`, for O(1) lookups. */
  readonly revokedSerials: ReadonlySet<string>;
  /** crlExtensions, in order. */
  readonly extensions: readonly Extension[];
  readonly authorityKeyIdentifier?: Uint8Array;
  /** cRLNumber as lower-case hex. */
  readonly crlNumber?: string;
  /** OIDs of critical CRL or entry extensions ecp does not process: the CRL must not be used. */
  readonly unsupportedCriticalExtensions: readonly string[];
}

/** CRL extensions whose critical flag ecp honours (it reads and understands them). */
const UNDERSTOOD_CRL_EXTENSIONS = new Set<string>([OID.authorityKeyIdentifier, OID.crlNumber]);
/** Entry extensions ecp understands: reasonCode, invalidityDate (informational). */
const UNDERSTOOD_ENTRY_EXTENSIONS = new Set<string>([OID.crlReason, '2.5.29.24']);

function readReasonCode(value: Uint8Array): number {
  const element = expectTag(decodeDer(value, 'CRL reasonCode'), TAG.ENUMERATED, 'CRL reasonCode');
  return readSmallInteger({ ...element, tag: TAG.INTEGER }, 'CRL reasonCode', 10);
}

function parseEntry(element: DerElement, version: 1 | 2, unsupported: Set<string>): RevokedCertificate {
  const what = 'revokedCertificates entry';
  const fields = sequence(element, what);
  const serialNumber = formatSerialNumber(fields.next(TAG.INTEGER, 'userCertificate'), `${what} serial`);
  const revocationDate = readTime(fields.next(undefined, 'revocationDate'), `${what} revocationDate`);
  const extensionsField = fields.optional(TAG.SEQUENCE);
  fields.end();
  if (!extensionsField) return { serialNumber, revocationDate, extensions: [] };
  if (version !== 2) throw new MalformedInputError(`${what}: entry extensions need a v2 CRL`);
  const extensions = parseExtensions(extensionsField, `${what} extensions`);
  let reasonCode: number | undefined;
  for (const extension of extensions) {
    if (extension.oid === OID.crlReason) reasonCode = readReasonCode(extension.value);
    if (extension.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(extension.oid)) unsupported.add(extension.oid);
  }
  return reasonCode === undefined ? { serialNumber, revocationDate, extensions } : { serialNumber, revocationDate, reasonCode, extensions };
}

const isTime = (tag: number | undefined): boolean => tag === TAG.UTC_TIME || tag === TAG.GENERALIZED_TIME;

function parseCrlDer(input: Uint8Array): CertificateRevocationList {
  const outer = sequence(decodeDer(input, 'CertificateList'), 'CertificateList');
  const tbsElement = outer.next(TAG.SEQUENCE, 'tbsCertList');
  const signatureAlgorithm = parseAlgorithmIdentifier(outer.next(TAG.SEQUENCE, 'signatureAlgorithm'), 'CRL signatureAlgorithm');
  const signatureValue = readOctetAlignedBits(outer.next(TAG.BIT_STRING, 'signatureValue'), 'CRL signatureValue');
  outer.end();

  const tbs = sequence(tbsElement, 'TBSCertList');
  const versionField = tbs.optional(TAG.INTEGER);
  let version: 1 | 2 = 1;
  if (versionField) {
    // v1 is written by omitting the field; the only value that may appear is 1 (v2).
    if (readSmallInteger(versionField, 'CRL version') !== 1) throw new MalformedInputError('CRL version: only v2 (1) may be written');
    version = 2;
  }
  const inner = tbs.next(TAG.SEQUENCE, 'signature');
  if (!bytesEqual(inner.bytes, signatureAlgorithm.der)) {
    throw new MalformedInputError('the TBSCertList signature algorithm differs from the outer signatureAlgorithm');
  }
  const issuer = parseName(tbs.next(TAG.SEQUENCE, 'issuer'), 'CRL issuer');
  const thisUpdate = readTime(tbs.next(undefined, 'thisUpdate'), 'CRL thisUpdate');
  const nextUpdate = isTime(tbs.peekTag()) ? readTime(tbs.next(), 'CRL nextUpdate') : undefined;
  const unsupported = new Set<string>();
  const entriesField = tbs.optional(TAG.SEQUENCE);
  const revokedCertificates = entriesField ? childrenOf(entriesField, 'revokedCertificates').map((e) => parseEntry(e, version, unsupported)) : [];
  const extensionsField = tbs.optional(contextConstructed(0));
  tbs.end();

  let extensions: Extension[] = [];
  let authorityKeyIdentifier: Uint8Array | undefined;
  let crlNumber: string | undefined;
  if (extensionsField) {
    if (version !== 2) throw new MalformedInputError('crlExtensions need a v2 CRL');
    extensions = parseExtensions(decodeDer(extensionsField.value, 'crlExtensions'), 'crlExtensions');
    for (const extension of extensions) {
      if (extension.oid === OID.authorityKeyIdentifier) authorityKeyIdentifier = decodeAuthorityKeyIdentifier(extension.value).keyIdentifier;
      if (extension.oid === OID.crlNumber) crlNumber = formatSerialNumber(decodeDer(extension.value, 'cRLNumber'), 'cRLNumber');
      if (extension.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(extension.oid)) unsupported.add(extension.oid);
    }
  }
  return {
    der: input,
    tbs: tbsElement.bytes,
    version,
    signatureAlgorithm,
    signatureValue,
    issuer,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    revokedCertificates,
    revokedSerials: new Set(revokedCertificates.map((e) => e.serialNumber)),
    extensions,
    ...(authorityKeyIdentifier ? { authorityKeyIdentifier } : {}),
    ...(crlNumber ? { crlNumber } : {}),
    unsupportedCriticalExtensions: [...unsupported],
  };
}

function wrap(error: unknown): never {
  if (error instanceof InputTooLargeError) throw error;
  const detail = error instanceof EcpError ? error.message : 'unreadable input';
  throw new MalformedInputError(`not a valid X.509 CRL: ${detail}`, { cause: error });
}

function parseOne(der: Uint8Array): CertificateRevocationList {
  if (der.length > MAX_CRL_SIZE) throw new InputTooLargeError('CRL', MAX_CRL_SIZE);
  try {
    return parseCrlDer(der);
  } catch (error) {
    return wrap(error);
  }
}

/**
 * Every CRL in the input: DER (exactly one CRL), or PEM text/bytes with one or more
 * `X509 CRL` blocks (other blocks are ignored; none at all is an error). Throws
 * {@link MalformedInputError} or {@link InputTooLargeError}.
 */
export function parseCrls(input: Uint8Array | string): CertificateRevocationList[] {
  if (typeof input !== 'string' && !looksLikePem(input)) return [parseOne(input)];
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  let blocks;
  try {
    blocks = decodePemBlocks(text, MAX_CRL_PEM_LENGTH).filter((b) => b.label === CRL_PEM_LABEL);
  } catch (error) {
    return wrap(error);
  }
  if (blocks.length === 0) throw new MalformedInputError(`no PEM "${CRL_PEM_LABEL}" block found`);
  return blocks.map((b) => parseOne(b.der));
}

/** One CRL, from DER or PEM (the first `X509 CRL` block). */
export function parseCrl(input: Uint8Array | string): CertificateRevocationList {
  return parseCrls(input)[0]!;
}

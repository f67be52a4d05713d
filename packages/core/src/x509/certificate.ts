/**
 * X.509 certificate parsing (RFC 5280 §4.1), browser-safe and strict: the input must be one
 * DER element with nothing after it, every field DER, the inner and outer signature
 * algorithms byte-identical, extensions only in v3 and unique IDs only in v2/v3. What the
 * path validator needs is kept exact (the TBS and name bytes, every extension raw).
 */
import { bytesEqual, toHex } from '../bytes.js';
import { EcpError, InputTooLargeError, InvalidCertificateError, MalformedInputError } from '../errors.js';
import { decodePem, encodePem, looksLikePem } from '../pem.js';
import * as TAG from '../der/tags.js';
import {
  contextConstructed,
  contextPrimitive,
  decodeDer,
  readBitString,
  readInteger,
  readOctetAlignedBits,
  readSmallInteger,
  readTime,
  readUnsignedIntegerBytes,
  sequence,
  type DerElement,
} from '../der/reader.js';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import { decodeExtensions, parseExtensions, type DecodedExtensions, type Extension } from './extensions.js';
import { parseName, type DistinguishedName } from './name.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from './public-key.js';

/** Bound on a certificate's DER; real ones are 0.5–3 KB. */
export const MAX_CERTIFICATE_SIZE = 64 * 1024;
/** Bound on PEM text holding a certificate (base64 adds a third, plus any text around it). */
export const MAX_CERTIFICATE_PEM_LENGTH = 128 * 1024;

export const CERTIFICATE_PEM_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE'] as const;

export interface Certificate extends DecodedExtensions {
  /** The whole certificate DER. */
  readonly der: Uint8Array;
  /** The TBSCertificate DER: the bytes the issuer signed. */
  readonly tbs: Uint8Array;
  readonly version: 1 | 2 | 3;
  /**
   * Lower-case hex of the serial's magnitude without a sign octet (`01`, `7f3a...`); RFC 5280
   * forbids negative serials but asks users to cope, so one is shown with a leading `-`.
   */
  readonly serialNumber: string;
  /** The signature algorithm (outer and inner are byte-identical, so either). */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyInfo;
  /** Every extension in certificate order, known or not. Empty for v1 and v2. */
  readonly extensions: readonly Extension[];
  /** The signature BIT STRING contents (DER ECDSA-Sig-Value for ECDSA). */
  readonly signatureValue: Uint8Array;
}

/**
 * A serial number as {@link Certificate.serialNumber} shows it; the path validator uses the
 * same function for CRL entries so that the two compare as strings.
 */
export function formatSerialNumber(element: DerElement, what = 'serialNumber'): string {
  const value = readInteger(element, what);
  if (value >= 0n) return toHex(readUnsignedIntegerBytes(element, what));
  const magnitude = (-value).toString(16);
  return `-${magnitude.length % 2 ? '0' : ''}${magnitude}`;
}

function parseVersion(element: DerElement | undefined): 1 | 2 | 3 {
  if (!element) return 1;
  const version = readSmallInteger(decodeDer(element.value, 'version'), 'version');
  if (version === 0) throw new MalformedInputError('version: v1 must be omitted, not written (DER DEFAULT)');
  if (version > 2) throw new MalformedInputError(`version: unknown version ${version + 1}`);
  return (version + 1) as 2 | 3;
}

function parseCertificateDer(input: Uint8Array): Certificate {
  const outer = sequence(decodeDer(input, 'Certificate'), 'Certificate');
  const tbsElement = outer.next(TAG.SEQUENCE, 'tbsCertificate');
  const outerAlgorithm = parseAlgorithmIdentifier(outer.next(TAG.SEQUENCE, 'signatureAlgorithm'), 'signatureAlgorithm');
  const signatureValue = readOctetAlignedBits(outer.next(TAG.BIT_STRING, 'signatureValue'), 'signatureValue');
  outer.end();

  const tbs = sequence(tbsElement, 'TBSCertificate');
  const version = parseVersion(tbs.optional(contextConstructed(0)));
  const serialNumber = formatSerialNumber(tbs.next(TAG.INTEGER, 'serialNumber'));
  const innerAlgorithm = tbs.next(TAG.SEQUENCE, 'signature');
  if (!bytesEqual(innerAlgorithm.bytes, outerAlgorithm.der)) {
    throw new MalformedInputError('the TBSCertificate signature algorithm differs from the outer signatureAlgorithm');
  }
  const issuer = parseName(tbs.next(TAG.SEQUENCE, 'issuer'), 'issuer');
  const validity = sequence(tbs.next(TAG.SEQUENCE, 'validity'), 'validity');
  const notBefore = readTime(validity.next(undefined, 'notBefore'), 'notBefore');
  const notAfter = readTime(validity.next(undefined, 'notAfter'), 'notAfter');
  validity.end();
  const subject = parseName(tbs.next(TAG.SEQUENCE, 'subject'), 'subject');
  const publicKey = parsePublicKeyInfo(tbs.next(TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  // Unique identifiers (v2/v3 only) are checked for form and otherwise ignored, as RFC 5280 advises.
  for (const n of [1, 2]) {
    const id = tbs.optional(contextPrimitive(n));
    if (id && version === 1) throw new MalformedInputError('unique identifiers need version 2 or 3');
    if (id) readBitString({ ...id, tag: TAG.BIT_STRING }, n === 1 ? 'issuerUniqueID' : 'subjectUniqueID');
  }
  const extensionsField = tbs.optional(contextConstructed(3));
  tbs.end();
  let extensions: Extension[] = [];
  if (extensionsField) {
    if (version !== 3) throw new MalformedInputError('extensions need version 3');
    extensions = parseExtensions(decodeDer(extensionsField.value, 'extensions'));
  }
  return {
    der: input,
    tbs: tbsElement.bytes,
    version,
    serialNumber,
    signatureAlgorithm: outerAlgorithm,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    extensions,
    signatureValue,
    ...decodeExtensions(extensions),
  };
}

function toDer(input: Uint8Array | string): Uint8Array {
  if (typeof input === 'string' || looksLikePem(input)) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    if (text.length > MAX_CERTIFICATE_PEM_LENGTH) throw new InputTooLargeError('certificate PEM', MAX_CERTIFICATE_PEM_LENGTH);
    return decodePem(text, CERTIFICATE_PEM_LABELS).der;
  }
  return input;
}

/**
 * `read` applied to a certificate's DER, given as DER or PEM (`CERTIFICATE`, text or bytes)
 * and bounded in size. Every failure becomes an {@link InvalidCertificateError}
 * (`ECP_INVALID_CERTIFICATE`) whose `cause` is the underlying {@link MalformedInputError} or
 * {@link InputTooLargeError}. Shared by the full parser and the key-only reader
 * (certificate-key.ts), so that both take the same inputs and fail the same way.
 */
export function readCertificateInput<T>(input: Uint8Array | string, read: (der: Uint8Array) => T): T {
  try {
    const derBytes = toDer(input);
    if (derBytes.length > MAX_CERTIFICATE_SIZE) throw new InputTooLargeError('certificate', MAX_CERTIFICATE_SIZE);
    return read(derBytes);
  } catch (error) {
    // Anything else (a RangeError from a hostile input) is wrapped too: a parser must not crash its caller.
    const detail = error instanceof EcpError ? `: ${error.message}` : '';
    throw new InvalidCertificateError(`not a valid X.509 certificate${detail}`, { cause: error });
  }
}

/**
 * Parses an X.509 certificate from DER, or from PEM (`CERTIFICATE`) as text or bytes.
 * Throws {@link InvalidCertificateError} (`ECP_INVALID_CERTIFICATE`), whose `cause` is the
 * underlying {@link MalformedInputError} or {@link InputTooLargeError}.
 */
export const parseCertificate = (input: Uint8Array | string): Certificate => readCertificateInput(input, parseCertificateDer);

/** PEM `CERTIFICATE` text for a certificate or its DER. */
export const certificateToPem = (certificate: Certificate | Uint8Array): string =>
  encodePem('CERTIFICATE', certificate instanceof Uint8Array ? certificate : certificate.der);

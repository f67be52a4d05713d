/**
 * PKCS#10 certification requests (RFC 2986), browser-safe: parsing, and building the
 * CertificationRequestInfo so that a browser can sign it with WebCrypto and assemble the
 * request (`POST /register` with a CSR: the server never sees the private key).
 */
import { EcpError, InputTooLargeError, MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import { oidName } from '../der/oids.js';
import { decodePem, encodePem, looksLikePem } from '../pem.js';
import * as TAG from '../der/tags.js';
import {
  childrenOf,
  contextConstructed,
  decodeDer,
  expectTag,
  readOctetAlignedBits,
  readOid,
  readSmallInteger,
  sequence,
} from '../der/reader.js';
import * as der from '../der/writer.js';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import { decodeExtensions, encodeExtensions, parseExtensions, type DecodedExtensions, type Extension, type ExtensionInput } from './extensions.js';
import { encodeName, parseName, type DistinguishedName, type NameInput } from './name.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from './public-key.js';

export const MAX_CSR_SIZE = 64 * 1024;
export const CSR_PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'] as const;

export interface CsrAttribute {
  readonly oid: string;
  readonly name: string;
  /** The DER of each value in the attribute's SET. */
  readonly values: readonly Uint8Array[];
}

export interface CertificationRequest {
  readonly der: Uint8Array;
  /** The CertificationRequestInfo DER: the bytes the requester signed. */
  readonly infoDer: Uint8Array;
  readonly subject: DistinguishedName;
  readonly publicKey: PublicKeyInfo;
  readonly attributes: readonly CsrAttribute[];
  /** The extensions of a PKCS#9 extensionRequest attribute, raw; empty without one. */
  readonly requestedExtensions: readonly Extension[];
  /** The decoded forms of the known requested extensions. */
  readonly decodedRequestedExtensions: DecodedExtensions;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
}

function parseCsrDer(input: Uint8Array): CertificationRequest {
  const outer = sequence(decodeDer(input, 'CertificationRequest'), 'CertificationRequest');
  const infoElement = outer.next(TAG.SEQUENCE, 'certificationRequestInfo');
  const signatureAlgorithm = parseAlgorithmIdentifier(outer.next(TAG.SEQUENCE, 'signatureAlgorithm'), 'signatureAlgorithm');
  const signatureValue = readOctetAlignedBits(outer.next(TAG.BIT_STRING, 'signature'), 'signature');
  outer.end();

  const info = sequence(infoElement, 'CertificationRequestInfo');
  const version = readSmallInteger(info.next(TAG.INTEGER, 'version'), 'version');
  if (version !== 0) throw new MalformedInputError(`CertificationRequestInfo: unknown version ${version + 1}`);
  const subject = parseName(info.next(TAG.SEQUENCE, 'subject'), 'subject');
  const publicKey = parsePublicKeyInfo(info.next(TAG.SEQUENCE, 'subjectPKInfo'));
  const attributesElement = info.next(contextConstructed(0), 'attributes');
  info.end();

  const attributes = childrenOf(attributesElement, 'attributes').map((item): CsrAttribute => {
    const fields = sequence(item, 'attribute');
    const oid = readOid(fields.next(TAG.OID, 'type'), 'attribute');
    const values = childrenOf(expectTag(fields.next(TAG.SET, 'values'), TAG.SET, 'attribute values'), 'attribute values');
    fields.end();
    if (values.length === 0) throw new MalformedInputError(`attribute ${oidName(oid)}: no values`);
    return { oid, name: oidName(oid), values: values.map((v) => v.bytes) };
  });
  const extensionRequests = attributes.filter((a) => a.oid === OID.extensionRequest);
  if (extensionRequests.length > 1) throw new MalformedInputError('more than one extensionRequest attribute');
  const request = extensionRequests[0];
  if (request && request.values.length !== 1) throw new MalformedInputError('extensionRequest must hold exactly one value');
  const requestedExtensions = request ? parseExtensions(decodeDer(request.values[0]!, 'extensionRequest'), 'extensionRequest') : [];
  return {
    der: input,
    infoDer: infoElement.bytes,
    subject,
    publicKey,
    attributes,
    requestedExtensions,
    decodedRequestedExtensions: decodeExtensions(requestedExtensions),
    signatureAlgorithm,
    signatureValue,
  };
}

/**
 * Parses a PKCS#10 request from DER or PEM (`CERTIFICATE REQUEST` or `NEW CERTIFICATE
 * REQUEST`). Throws {@link MalformedInputError} (`ECP_MALFORMED`) with the reason; the
 * signature is not checked here (`verifyCsr` does that).
 */
export function parseCsr(input: Uint8Array | string): CertificationRequest {
  try {
    let derBytes: Uint8Array;
    if (typeof input === 'string' || looksLikePem(input)) {
      const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
      if (text.length > 2 * MAX_CSR_SIZE) throw new InputTooLargeError('certificate request PEM', 2 * MAX_CSR_SIZE);
      derBytes = decodePem(text, CSR_PEM_LABELS).der;
    } else {
      derBytes = input;
    }
    if (derBytes.length > MAX_CSR_SIZE) throw new InputTooLargeError('certificate request', MAX_CSR_SIZE);
    return parseCsrDer(derBytes);
  } catch (error) {
    const detail = error instanceof EcpError ? `: ${error.message}` : '';
    throw new MalformedInputError(`not a valid certificate request${detail}`, { cause: error });
  }
}

export interface CsrInfoInput {
  /** Name to request: `{ CN: 'alice' }`, an ordered entry list, or a Name's DER. */
  readonly subject: NameInput | Uint8Array;
  /** DER SubjectPublicKeyInfo of the key that will sign the request. */
  readonly spki: Uint8Array;
  /** Extensions to request (an extensionRequest attribute); none by default. */
  readonly extensions?: readonly ExtensionInput[];
}

/** The CertificationRequestInfo DER to sign. */
export function buildCsrInfo(input: CsrInfoInput): Uint8Array {
  const subject = input.subject instanceof Uint8Array ? input.subject : encodeName(input.subject);
  const extensions = input.extensions ?? [];
  const attributes = extensions.length
    ? [der.sequence(der.oid(OID.extensionRequest), der.setOf(encodeExtensions(extensions)))]
    : [];
  return encodeCsrInfo(subject, input.spki, attributes);
}

/**
 * The CertificationRequestInfo DER from a subject Name and a SubjectPublicKeyInfo, both DER,
 * and the Attributes (each one's DER): buildCsrInfo without the name and extension encoders,
 * for code that has these already (the browser SDK's enrolment, with encodeCommonName).
 */
export const encodeCsrInfo = (subject: Uint8Array, spki: Uint8Array, attributes: readonly Uint8Array[] = []): Uint8Array =>
  der.sequence(
    der.integer(0),
    decodeDer(subject, 'subject').bytes,
    decodeDer(spki, 'subjectPKInfo').bytes,
    der.tlv(contextConstructed(0), ...attributes),
  );

/** The CertificationRequest DER from the signed info, the AlgorithmIdentifier and the signature. */
export const assembleCsr = (info: Uint8Array, signatureAlgorithm: Uint8Array, signature: Uint8Array): Uint8Array =>
  der.sequence(decodeDer(info, 'CertificationRequestInfo').bytes, decodeDer(signatureAlgorithm, 'signature algorithm').bytes, der.bitString(signature));

export const csrToPem = (csr: CertificationRequest | Uint8Array): string =>
  encodePem('CERTIFICATE REQUEST', csr instanceof Uint8Array ? csr : csr.der);

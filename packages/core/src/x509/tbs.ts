/**
 * To-be-signed structures and their assembly, browser-safe: the caller signs the TBS bytes
 * with whatever crypto it has (node:crypto in `build.ts`, WebCrypto in the browser) and
 * assembles the result.
 */
import { MalformedInputError } from '../errors.js';
import { decodeDer } from '../der/reader.js';
import * as der from '../der/writer.js';
import { encodeExtensions, type ExtensionInput } from './extensions.js';

export interface TbsCertificateInput {
  /** Positive serial: big-endian magnitude bytes or a bigint. */
  readonly serial: Uint8Array | bigint;
  /** DER AlgorithmIdentifier of the signature the issuer will make (see `signatureAlgorithmIdentifier`). */
  readonly signatureAlgorithm: Uint8Array;
  /** DER Name of the issuer: the issuer certificate's `subject.der`, byte for byte. */
  readonly issuer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER Name of the subject. */
  readonly subject: Uint8Array;
  /** DER SubjectPublicKeyInfo of the subject's key. */
  readonly spki: Uint8Array;
  /** v3 extensions, in the order given; none gives a v1 certificate. */
  readonly extensions?: readonly ExtensionInput[];
}

/** Checks that a caller-supplied piece of DER is one element (so the output stays well-formed). */
const oneElement = (bytes: Uint8Array, what: string): Uint8Array => decodeDer(bytes, what).bytes;

/** RFC 5280 times have whole seconds; sub-second parts are dropped rather than rounded. */
const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

function checkSerial(serial: Uint8Array | bigint): Uint8Array {
  const encoded = der.integer(serial);
  const value = encoded.subarray(2);
  if (value.length > 20 || (value.length === 1 && value[0] === 0)) {
    throw new MalformedInputError('serial number must be positive and at most 20 octets (RFC 5280 §4.1.2.2)');
  }
  return encoded;
}

export function buildTbsCertificate(input: TbsCertificateInput): Uint8Array {
  if (input.notAfter.getTime() < input.notBefore.getTime()) throw new MalformedInputError('notAfter is before notBefore');
  const extensions = input.extensions ?? [];
  const parts = [
    ...(extensions.length ? [der.explicit(0, der.integer(2))] : []),
    checkSerial(input.serial),
    oneElement(input.signatureAlgorithm, 'signature algorithm'),
    oneElement(input.issuer, 'issuer'),
    der.sequence(der.time(wholeSeconds(input.notBefore)), der.time(wholeSeconds(input.notAfter))),
    oneElement(input.subject, 'subject'),
    oneElement(input.spki, 'subjectPublicKeyInfo'),
    ...(extensions.length ? [der.explicit(3, encodeExtensions(extensions))] : []),
  ];
  return der.sequence(...parts);
}

/** Certificate, CertificateList and CertificationRequest all end the same way: TBS, algorithm, BIT STRING. */
function assembleSigned(tbs: Uint8Array, signatureAlgorithm: Uint8Array, signature: Uint8Array): Uint8Array {
  return der.sequence(oneElement(tbs, 'to-be-signed data'), oneElement(signatureAlgorithm, 'signature algorithm'), der.bitString(signature));
}

/** The certificate DER from its TBS, the same AlgorithmIdentifier as inside the TBS, and the signature. */
export const assembleCertificate = (tbs: Uint8Array, signatureAlgorithm: Uint8Array, signature: Uint8Array): Uint8Array =>
  assembleSigned(tbs, signatureAlgorithm, signature);

export interface RevokedCertificateInput {
  /** Serial as lower-case hex (like `Certificate.serialNumber`), magnitude bytes or a bigint. */
  readonly serial: string | Uint8Array | bigint;
  readonly date: Date;
}

export interface TbsCertListInput {
  readonly signatureAlgorithm: Uint8Array;
  readonly issuer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: readonly RevokedCertificateInput[];
  /** crlExtensions (authorityKeyIdentifier, cRLNumber, ...). */
  readonly extensions?: readonly ExtensionInput[];
}

function serialValue(serial: string | Uint8Array | bigint): Uint8Array | bigint {
  if (typeof serial !== 'string') return serial;
  if (!/^[0-9a-fA-F]+$/.test(serial)) throw new MalformedInputError(`serial ${serial} is not positive hex`);
  return BigInt(`0x${serial}`);
}

/** TBSCertList (RFC 5280 §5.1), v2. */
export function buildTbsCertList(input: TbsCertListInput): Uint8Array {
  const entries = input.revoked.map((entry) => der.sequence(checkSerial(serialValue(entry.serial)), der.time(wholeSeconds(entry.date))));
  const extensions = input.extensions ?? [];
  return der.sequence(
    der.integer(1),
    oneElement(input.signatureAlgorithm, 'signature algorithm'),
    oneElement(input.issuer, 'issuer'),
    der.time(wholeSeconds(input.thisUpdate)),
    ...(input.nextUpdate ? [der.time(wholeSeconds(input.nextUpdate))] : []),
    ...(entries.length ? [der.sequence(...entries)] : []),
    ...(extensions.length ? [der.explicit(0, encodeExtensions(extensions))] : []),
  );
}

export const assembleCertificateList = (tbs: Uint8Array, signatureAlgorithm: Uint8Array, signature: Uint8Array): Uint8Array =>
  assembleSigned(tbs, signatureAlgorithm, signature);

/** cRLNumber extension value (RFC 5280 §5.2.3). */
export const encodeCrlNumber = (n: number | bigint): Uint8Array => der.integer(n);

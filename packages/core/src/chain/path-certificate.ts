/**
 * What path validation derives from a parsed certificate, computed once per certificate
 * object and kept beside it (a WeakMap, freed with the certificate): its SHA-256 fingerprint,
 * map keys for its names and key identifiers, its signature scheme and, for issuers, its
 * node:crypto key. Trust anchors and intermediates are parsed once per ChainVerifier, so
 * each validation only pays for the leaf.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { toHex } from '../bytes.js';
import type { Certificate } from '../x509/certificate.js';
import { issuerKeyOf, signatureSchemeOf, type AlgorithmRefusal, type SchemeResult } from './signature.js';

export interface PathCertificate {
  readonly certificate: Certificate;
  /** Lower-case hex SHA-256 of the DER: the denylist's key. */
  readonly fingerprint: string;
  /** The subject Name's DER as a string, for lookups by exact name. */
  readonly subjectName: string;
  /** The issuer Name's DER as a string. */
  readonly issuerName: string;
  /** Issuer and subject names are byte-identical (self-issued: RFC 5280 §6.1 does not count it in path lengths). */
  readonly selfIssued: boolean;
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** RFC 4514 subject, for messages. */
  readonly subject: string;
  /** The scheme of this certificate's own signature (or why it is refused). */
  scheme(): SchemeResult;
  /** This certificate's key as an issuer's (or why it may not sign). */
  signingKey(): { readonly key: KeyObject } | { readonly refusal: AlgorithmRefusal };
}

/** A byte string as a JS string key (latin1 is a 1:1 mapping, and native). */
export const bytesKey = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

const derived = new WeakMap<Certificate, PathCertificate>();

function derive(certificate: Certificate): PathCertificate {
  const subjectName = bytesKey(certificate.subject.der);
  const issuerName = bytesKey(certificate.issuer.der);
  let scheme: SchemeResult | undefined;
  let key: ReturnType<typeof issuerKeyOf> | undefined;
  const ski = certificate.subjectKeyIdentifier;
  const aki = certificate.authorityKeyIdentifier?.keyIdentifier;
  return {
    certificate,
    fingerprint: createHash('sha256').update(certificate.der).digest('hex'),
    subjectName,
    issuerName,
    selfIssued: subjectName === issuerName,
    ...(ski ? { subjectKeyId: toHex(ski) } : {}),
    ...(aki ? { authorityKeyId: toHex(aki) } : {}),
    subject: certificate.subject.toString(),
    scheme: () => (scheme ??= signatureSchemeOf(certificate.signatureAlgorithm)),
    signingKey: () => (key ??= issuerKeyOf(certificate)),
  };
}

/**
 * The derived data of a certificate. `remember: false` is for a certificate object that will
 * not be seen again (a leaf parsed from bytes for one validation): keeping it in the WeakMap
 * would only give the garbage collector ephemerons to trace.
 */
export function pathCertificate(certificate: Certificate, remember = true): PathCertificate {
  if (!remember) return derived.get(certificate) ?? derive(certificate);
  let entry = derived.get(certificate);
  if (!entry) {
    entry = derive(certificate);
    derived.set(certificate, entry);
  }
  return entry;
}

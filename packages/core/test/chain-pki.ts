/**
 * A small PKI factory for the path-validation tests: roots, intermediates, leaves and CRLs
 * made with @ecp/core's own certificate builders (node:crypto keys), with fixed dates.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { OID } from '../src/der/oids.js';
import * as der from '../src/der/writer.js';
import { createCertificateRevocationList, createSelfSignedCertificate, issueCertificate, keyIdentifierOf } from '../src/x509/build.js';
import { parseCertificate, type Certificate } from '../src/x509/certificate.js';
import { encodeBasicConstraints, encodeKeyUsage, type ExtensionInput, type KeyUsageName } from '../src/x509/extensions.js';
import { encodeName } from '../src/x509/name.js';
import { signerFor, spkiOf } from '../src/x509/signing.js';
import { assembleCertificate, buildTbsCertificate } from '../src/x509/tbs.js';

export const T0 = new Date('2020-01-01T00:00:00Z');
export const T_END = new Date('2049-12-31T23:59:59Z');
export const AT = new Date('2030-01-01T00:00:00Z');

export interface Issuer {
  readonly certificate: Certificate;
  readonly key: KeyObject;
}

export type KeyType = 'p256' | 'p384' | 'rsa2048' | 'rsa1024' | 'ed25519';

export function newKey(type: KeyType = 'p256'): KeyObject {
  switch (type) {
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
  }
}

export interface CertOptions {
  readonly key?: KeyObject;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly pathLength?: number;
  /** Replaces the profile's extensions entirely (for unusual CAs and leaves). */
  readonly extensions?: readonly ExtensionInput[];
  readonly extraExtensions?: readonly ExtensionInput[];
}

export function root(cn: string, options: CertOptions = {}): Issuer {
  const key = options.key ?? newKey();
  if (options.extensions) return { certificate: custom(cn, key, { certificate: undefined, key }, options), key };
  const certificate = createSelfSignedCertificate({
    privateKey: key,
    subject: { O: 'Ecp Unit PKI', CN: cn },
    profile: 'ca',
    notBefore: options.notBefore ?? T0,
    notAfter: options.notAfter ?? T_END,
    ...(options.pathLength === undefined ? {} : { pathLength: options.pathLength }),
    ...(options.extraExtensions ? { extraExtensions: options.extraExtensions } : {}),
  });
  return { certificate, key };
}

function issue(profile: 'ca' | 'client', subject: string | Record<string, string>, issuer: Issuer, options: CertOptions): Issuer {
  const key = options.key ?? newKey();
  if (options.extensions) return { certificate: custom(subject, key, issuer, options), key };
  const certificate = issueCertificate({
    subjectPublicKey: key,
    subject: typeof subject === 'string' ? { O: 'Ecp Unit PKI', CN: subject } : subject,
    issuerCertificate: issuer.certificate,
    issuerKey: issuer.key,
    profile,
    notBefore: options.notBefore ?? T0,
    notAfter: options.notAfter ?? T_END,
    ...(options.pathLength === undefined ? {} : { pathLength: options.pathLength }),
    ...(options.extraExtensions ? { extraExtensions: options.extraExtensions } : {}),
  });
  return { certificate, key };
}

export const intermediate = (cn: string, issuer: Issuer, options: CertOptions = {}): Issuer => issue('ca', cn, issuer, options);
export const leaf = (cn: string, issuer: Issuer, options: CertOptions = {}): Issuer => issue('client', { CN: cn }, issuer, options);

/** A certificate with exactly the given extensions (none: a v1 certificate), signed by `issuer` (or itself). */
function custom(subject: string | Record<string, string>, key: KeyObject, issuer: { certificate: Certificate | undefined; key: KeyObject }, options: CertOptions): Certificate {
  const signer = signerFor(issuer.key);
  const name = encodeName(typeof subject === 'string' ? { O: 'Ecp Unit PKI', CN: subject } : subject);
  const tbs = buildTbsCertificate({
    serial: BigInt(Math.floor(Math.random() * 2 ** 40)) + 1n,
    signatureAlgorithm: signer.algorithmIdentifier,
    issuer: issuer.certificate ? issuer.certificate.subject.der : name,
    subject: name,
    spki: spkiOf(key),
    notBefore: options.notBefore ?? T0,
    notAfter: options.notAfter ?? T_END,
    extensions: options.extensions ?? [],
  });
  return parseCertificate(assembleCertificate(tbs, signer.algorithmIdentifier, signer.sign(tbs)));
}

/** The usual CA extensions, for building variants of them. */
export function caExtensions(key: KeyObject, usages: readonly KeyUsageName[] = ['keyCertSign', 'cRLSign']): ExtensionInput[] {
  return [
    { oid: OID.basicConstraints, critical: true, value: encodeBasicConstraints({ cA: true }) },
    { oid: OID.keyUsage, critical: true, value: encodeKeyUsage(usages) },
    { oid: OID.subjectKeyIdentifier, value: der.octetString(keyIdentifierOf(spkiOf(key))) },
  ];
}

export function crl(issuer: Issuer, revoked: readonly Certificate[], options: { thisUpdate?: Date; nextUpdate?: Date } = {}): Uint8Array {
  return createCertificateRevocationList({
    issuerCertificate: issuer.certificate,
    issuerKey: issuer.key,
    revoked: revoked.map((c) => ({ serial: c.serialNumber, date: new Date('2029-01-01T00:00:00Z') })),
    thisUpdate: options.thisUpdate ?? new Date('2029-06-01T00:00:00Z'),
    nextUpdate: options.nextUpdate ?? new Date('2030-06-01T00:00:00Z'),
  });
}

/**
 * Making certificates and CRLs with node:crypto keys: the self-signed user certificate of
 * `ecp keygen` and registration (contract §2), and the CA profile of `ecp ca`.
 */
import { type KeyObject, createHash, createPublicKey, randomBytes } from 'node:crypto';
import { EcpError, KeyCertificateMismatchError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import { keyObjectForCertificate } from '../ecdsa/key-cache.js';
import { parseCertificate, type Certificate } from './certificate.js';
import {
  encodeAuthorityKeyIdentifier,
  encodeBasicConstraints,
  encodeExtKeyUsage,
  encodeKeyUsage,
  encodeSubjectKeyIdentifier,
  type ExtensionInput,
} from './extensions.js';
import { encodeGeneralNames, type GeneralNameInput } from './general-name.js';
import { encodeName, type DistinguishedName, type NameInput } from './name.js';
import { decodePublicKeyInfo } from './public-key.js';
import { signerFor, spkiOf } from './signing.js';
import { assembleCertificate, assembleCertificateList, buildTbsCertList, buildTbsCertificate, encodeCrlNumber, type RevokedCertificateInput } from './tbs.js';

const DAY_MS = 86_400_000;

export type CertificateProfile = 'client' | 'ca';

/** Subject as a bare common name, a name object or entry list, a parsed name, or a Name's DER. */
export type SubjectInput = string | NameInput | DistinguishedName | Uint8Array;

function subjectDer(subject: SubjectInput): Uint8Array {
  if (typeof subject === 'string') return encodeName({ CN: subject });
  if (subject instanceof Uint8Array) return subject;
  if ('rdns' in subject && subject.der instanceof Uint8Array) return subject.der;
  return encodeName(subject as NameInput);
}

/** A random positive serial of 16 octets (RFC 5280 §4.1.2.2 asks for ≤ 20 and CA/B for ≥ 64 random bits). */
export function randomSerialNumber(): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  serial[0]! &= 0x7f; // positive; the INTEGER encoder drops any leading zero octets
  if (serial.every((b) => b === 0)) serial[15] = 1;
  return serial;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export const keyIdentifierOf = (spki: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha1').update(decodePublicKeyInfo(spki).key).digest());

interface ProfileOptions {
  readonly profile: CertificateProfile;
  readonly pathLength?: number;
  readonly subjectKeyId: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly subjectAltNames?: readonly GeneralNameInput[];
  readonly extraExtensions?: readonly ExtensionInput[];
}

/** The extensions of a profile, in the order OpenSSL writes them. */
function profileExtensions(options: ProfileOptions): ExtensionInput[] {
  const ca = options.profile === 'ca';
  const extensions: ExtensionInput[] = [
    { oid: OID.basicConstraints, critical: true, value: encodeBasicConstraints(ca ? { cA: true, ...(options.pathLength === undefined ? {} : { pathLenConstraint: options.pathLength }) } : { cA: false }) },
    { oid: OID.keyUsage, critical: true, value: encodeKeyUsage(ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']) },
  ];
  if (!ca) extensions.push({ oid: OID.extKeyUsage, value: encodeExtKeyUsage([OID.clientAuth]) });
  extensions.push({ oid: OID.subjectKeyIdentifier, value: encodeSubjectKeyIdentifier(options.subjectKeyId) });
  if (options.authorityKeyId) extensions.push({ oid: OID.authorityKeyIdentifier, value: encodeAuthorityKeyIdentifier(options.authorityKeyId) });
  if (options.subjectAltNames?.length) extensions.push({ oid: OID.subjectAltName, value: encodeGeneralNames(options.subjectAltNames) });
  extensions.push(...(options.extraExtensions ?? []));
  return extensions;
}

interface ValidityOptions {
  readonly days?: number;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

function validityOf(options: ValidityOptions): { notBefore: Date; notAfter: Date } {
  const days = options.days ?? 365;
  if (!(days > 0) || !Number.isFinite(days)) throw new EcpError(`days must be a positive number, not ${days}`);
  const notBefore = new Date(Math.floor((options.notBefore ?? new Date()).getTime() / 1000) * 1000);
  return { notBefore, notAfter: options.notAfter ?? new Date(notBefore.getTime() + days * DAY_MS) };
}

export interface SelfSignedCertificateOptions extends ValidityOptions {
  readonly privateKey: KeyObject;
  /** Subject (and issuer) CN; or give `subject` for a fuller name. */
  readonly commonName?: string;
  readonly subject?: SubjectInput;
  readonly serial?: Uint8Array | bigint;
  /** `client` (default): the user certificate of contract §2. `ca`: a root for `ecp ca init`. */
  readonly profile?: CertificateProfile;
  readonly pathLength?: number;
  readonly subjectAltNames?: readonly GeneralNameInput[];
  readonly extraExtensions?: readonly ExtensionInput[];
}

/**
 * A self-signed X.509 v3 certificate: random positive 16-byte serial, issuer = subject,
 * `days` (365) from `notBefore` (now). Client profile: basicConstraints cA=false and keyUsage
 * digitalSignature (both critical), EKU clientAuth, SKI. CA profile: cA=true (+ pathLength),
 * keyCertSign|cRLSign, SKI. Signed per the key type (P-256 → ecdsa-with-SHA256).
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): Certificate {
  const subject = options.subject ?? options.commonName;
  if (subject === undefined) throw new EcpError('createSelfSignedCertificate needs a commonName or a subject');
  const signer = signerFor(options.privateKey);
  const spki = spkiOf(options.privateKey);
  const name = subjectDer(subject);
  const tbs = buildTbsCertificate({
    serial: options.serial ?? randomSerialNumber(),
    signatureAlgorithm: signer.algorithmIdentifier,
    issuer: name,
    subject: name,
    spki,
    ...validityOf(options),
    extensions: profileExtensions({ ...options, profile: options.profile ?? 'client', subjectKeyId: keyIdentifierOf(spki) }),
  });
  return parseCertificate(assembleCertificate(tbs, signer.algorithmIdentifier, signer.sign(tbs)));
}

export interface IssueCertificateOptions extends ValidityOptions {
  /** The subject's public key: a KeyObject (a private one gives its public half) or SPKI DER. */
  readonly subjectPublicKey: KeyObject | Uint8Array;
  readonly subject: SubjectInput;
  readonly issuerCertificate: Certificate;
  /** The issuer's private key; it must belong to `issuerCertificate`. */
  readonly issuerKey: KeyObject;
  readonly profile: CertificateProfile;
  readonly pathLength?: number;
  readonly serial?: Uint8Array | bigint;
  readonly subjectAltNames?: readonly GeneralNameInput[];
  /** Appended after the profile's extensions (tests use it for unusual certificates). */
  readonly extraExtensions?: readonly ExtensionInput[];
}

/** The issuer's key identifier: its SKI, or (lacking one) the method-1 hash of its key. */
const issuerKeyIdentifier = (issuer: Certificate): Uint8Array => issuer.subjectKeyIdentifier ?? keyIdentifierOf(issuer.publicKey.spki);

function checkIssuerKey(issuerCertificate: Certificate, issuerKey: KeyObject): void {
  if (!keyObjectForCertificate(issuerCertificate).equals(createPublicKey(issuerKey))) throw new KeyCertificateMismatchError();
}

/**
 * A certificate signed by `issuerCertificate`'s key. The issuer name is the issuer's subject
 * DER byte for byte. Client profile: cA=false, digitalSignature, EKU clientAuth, SKI, AKI;
 * CA profile: cA=true (+ pathLength), keyCertSign|cRLSign, SKI, AKI. Whether the issuer may
 * issue (cA, keyCertSign) is not checked, so that tests can build invalid paths on purpose.
 */
export function issueCertificate(options: IssueCertificateOptions): Certificate {
  const { issuerCertificate, issuerKey } = options;
  checkIssuerKey(issuerCertificate, issuerKey);
  const signer = signerFor(issuerKey);
  const spki = options.subjectPublicKey instanceof Uint8Array ? decodePublicKeyInfo(options.subjectPublicKey).spki : spkiOf(options.subjectPublicKey);
  const tbs = buildTbsCertificate({
    serial: options.serial ?? randomSerialNumber(),
    signatureAlgorithm: signer.algorithmIdentifier,
    issuer: issuerCertificate.subject.der,
    subject: subjectDer(options.subject),
    spki,
    ...validityOf(options),
    extensions: profileExtensions({ ...options, subjectKeyId: keyIdentifierOf(spki), authorityKeyId: issuerKeyIdentifier(issuerCertificate) }),
  });
  return parseCertificate(assembleCertificate(tbs, signer.algorithmIdentifier, signer.sign(tbs)));
}

export interface CrlOptions {
  readonly issuerCertificate: Certificate;
  readonly issuerKey: KeyObject;
  readonly revoked: readonly RevokedCertificateInput[];
  /** Default: now. */
  readonly thisUpdate?: Date;
  /** Default: thisUpdate + 7 days. */
  readonly nextUpdate?: Date;
  /** cRLNumber; default 1. */
  readonly crlNumber?: number | bigint;
}

/** A v2 CRL (RFC 5280 §5) with authorityKeyIdentifier and cRLNumber, signed by the issuer's key. DER. */
export function createCertificateRevocationList(options: CrlOptions): Uint8Array {
  const { issuerCertificate, issuerKey } = options;
  checkIssuerKey(issuerCertificate, issuerKey);
  const signer = signerFor(issuerKey);
  const thisUpdate = options.thisUpdate ?? new Date();
  const tbs = buildTbsCertList({
    signatureAlgorithm: signer.algorithmIdentifier,
    issuer: issuerCertificate.subject.der,
    thisUpdate,
    nextUpdate: options.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY_MS),
    revoked: options.revoked,
    extensions: [
      { oid: OID.authorityKeyIdentifier, value: encodeAuthorityKeyIdentifier(issuerKeyIdentifier(issuerCertificate)) },
      { oid: OID.crlNumber, value: encodeCrlNumber(options.crlNumber ?? 1) },
    ],
  });
  return assembleCertificateList(tbs, signer.algorithmIdentifier, signer.sign(tbs));
}

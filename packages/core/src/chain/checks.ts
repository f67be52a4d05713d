/**
 * The checks RFC 5280 §6.1 (and ecp's policy) applies to each certificate of a candidate
 * path, one function per rule. Each returns the failure, or undefined when the rule holds.
 */
import { OID } from '../der/oids.js';
import type { CertificatePathReason } from './errors.js';
import type { PathCertificate } from './path-certificate.js';
import { keyPolicyRefusal } from './signature.js';

export interface CheckFailure {
  readonly reason: CertificatePathReason;
  /** The certificate the verdict is about. */
  readonly certificate: PathCertificate;
  readonly detail: string;
}

export const failure = (reason: CertificatePathReason, certificate: PathCertificate, detail: string): CheckFailure => ({
  reason,
  certificate,
  detail,
});

/**
 * Extensions whose meaning ecp applies, so that they may be critical. certificatePolicies is
 * among them because ecp validates with RFC 5280's defaults (initial policy set anyPolicy,
 * no explicit policy required), under which a policy can only fail a path through
 * policyConstraints or inhibitAnyPolicy, and those are not understood (rejected when critical,
 * as RFC 5280 requires of them). nameConstraints is NOT understood: a critical one is
 * rejected rather than silently ignored.
 */
const UNDERSTOOD_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.certificatePolicies,
]);

/** Validity is inclusive at both ends (RFC 5280 §4.1.2.5). */
export function validityFailure(pc: PathCertificate, at: Date): CheckFailure | undefined {
  const { notBefore, notAfter } = pc.certificate;
  const time = at.getTime();
  if (time < notBefore.getTime()) return failure('not_yet_valid', pc, `not valid before ${notBefore.toISOString()}`);
  if (time > notAfter.getTime()) return failure('expired', pc, `expired at ${notAfter.toISOString()}`);
  return undefined;
}

export function criticalExtensionFailure(pc: PathCertificate): CheckFailure | undefined {
  const unknown = pc.certificate.extensions.find((e) => e.critical && !UNDERSTOOD_EXTENSIONS.has(e.oid));
  return unknown ? failure('critical_extension', pc, `unsupported critical extension ${unknown.name}`) : undefined;
}

/** RSA under 2048 bits, unusual curves, unknown key types: weak, for every certificate of the path. */
export function keyFailure(pc: PathCertificate): CheckFailure | undefined {
  const refusal = keyPolicyRefusal(pc.certificate.publicKey);
  return refusal ? failure(refusal.reason, pc, refusal.detail) : undefined;
}

/** An EKU that is present must allow client authentication (clientAuth or anyExtendedKeyUsage). */
function ekuFailure(pc: PathCertificate): CheckFailure | undefined {
  const eku = pc.certificate.extKeyUsage;
  if (!eku || eku.includes(OID.clientAuth) || eku.includes(OID.anyExtendedKeyUsage)) return undefined;
  return failure('eku', pc, 'extendedKeyUsage allows neither clientAuth nor anyExtendedKeyUsage');
}

/**
 * The end-entity certificate: keyUsage, when present, must have digitalSignature (a client
 * proves possession by signing: the TLS CertificateVerify, the ecp challenge); EKU as above.
 */
export function leafUsageFailure(pc: PathCertificate): CheckFailure | undefined {
  const keyUsage = pc.certificate.keyUsage;
  if (keyUsage && !keyUsage.digitalSignature) return failure('key_usage', pc, 'keyUsage lacks digitalSignature');
  return ekuFailure(pc);
}

/**
 * A certificate that issued the one below it in the path.
 * - basicConstraints cA=TRUE is required; a certificate without basicConstraints is not a CA.
 *   The exception is a v1 trust anchor (which has no extensions at all): configured as an
 *   anchor, it is trusted as an issuer and carries no constraints.
 * - pathLenConstraint bounds the non-self-issued intermediates below it (the leaf excluded).
 * - keyUsage, when present, must have keyCertSign.
 * - EKU, when present, must allow clientAuth (or anyExtendedKeyUsage): the CA's EKU bounds what
 *   it may certify, as OpenSSL, NSS and Go apply it.
 */
export function issuerFailure(pc: PathCertificate, isAnchor: boolean, intermediatesBelow: number): CheckFailure | undefined {
  const certificate = pc.certificate;
  if (isAnchor && certificate.version === 1) return undefined;
  const constraints = certificate.basicConstraints;
  if (!constraints) return failure('not_a_ca', pc, 'issuer has no basicConstraints extension');
  if (!constraints.cA) return failure('not_a_ca', pc, 'issuer has basicConstraints cA=FALSE');
  const limit = constraints.pathLenConstraint;
  if (limit !== undefined && intermediatesBelow > limit) {
    return failure('path_length', pc, `pathLenConstraint is ${limit}, but ${intermediatesBelow} intermediate CA certificate${intermediatesBelow === 1 ? '' : 's'} follow${intermediatesBelow === 1 ? 's' : ''} it`);
  }
  if (certificate.keyUsage && !certificate.keyUsage.keyCertSign) return failure('key_usage', pc, 'issuer keyUsage lacks keyCertSign');
  return ekuFailure(pc);
}

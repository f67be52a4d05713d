/**
 * What `ecp inspect` reports about certificates and certification requests, as plain JSON
 * values with stable snake_case keys (the `--json` output; the text output is rendered from
 * the same objects). Everything shown is parsed by x509/; nothing is decoded here.
 */
import { toColonHex } from '../../bytes.js';
import { oidName } from '../../der/oids.js';
import type { Certificate } from '../../x509/certificate.js';
import type { CertificationRequest } from '../../x509/csr.js';
import { KEY_USAGE_BITS, type DecodedExtensions, type Extension } from '../../x509/extensions.js';
import { fingerprint } from '../../x509/fingerprint.js';
import type { GeneralName } from '../../x509/general-name.js';
import type { DistinguishedName } from '../../x509/name.js';
import type { PublicKeyInfo } from '../../x509/public-key.js';
import { isoTime, keyTypeLabel } from '../describe.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `DNS:example.com`, `email:a@b`, `IP:10.0.0.1`: OpenSSL's spelling of GeneralNames. */
export function formatGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'dNSName':
      return `DNS:${name.value}`;
    case 'rfc822Name':
      return `email:${name.value}`;
    case 'uniformResourceIdentifier':
      return `URI:${name.value}`;
    case 'iPAddress':
      return `IP:${name.value}`;
    case 'directoryName':
      return `DirName:${name.name.toString()}`;
    case 'registeredID':
      return `RID:${name.oid}`;
    case 'otherName':
      return `othername:${oidName(name.typeId)}`;
    default:
      return name.type;
  }
}

/** Fingerprints of a public key: over its SubjectPublicKeyInfo DER, to match keys with certificates. */
export function publicKeyFingerprints(spki: Uint8Array): JsonObject {
  return { 'SHA-1': fingerprint(spki, 'sha1'), 'SHA-256': fingerprint(spki, 'sha256') };
}

const commonNameOf = (name: DistinguishedName): JsonValue => name.commonName ?? null;

/** The known extensions, decoded, with their criticality; the rest by OID and name. */
export function extensionsReport(extensions: readonly Extension[], decoded: DecodedExtensions): JsonObject {
  const critical = (oidLabel: string): boolean => extensions.find((e) => e.name === oidLabel)?.critical ?? false;
  const report: JsonObject = {};
  if (decoded.basicConstraints) {
    report.basic_constraints = {
      critical: critical('basicConstraints'),
      ca: decoded.basicConstraints.cA,
      path_length: decoded.basicConstraints.pathLenConstraint ?? null,
    };
  }
  if (decoded.keyUsage) {
    const usage = decoded.keyUsage;
    report.key_usage = { critical: critical('keyUsage'), usages: KEY_USAGE_BITS.filter((bit) => usage[bit]) };
  }
  if (decoded.extKeyUsage) {
    report.extended_key_usage = { critical: critical('extKeyUsage'), usages: decoded.extKeyUsage.map(oidName) };
  }
  if (decoded.subjectAltName) {
    report.subject_alt_name = { critical: critical('subjectAltName'), names: decoded.subjectAltName.map(formatGeneralName) };
  }
  if (decoded.subjectKeyIdentifier) report.subject_key_identifier = toColonHex(decoded.subjectKeyIdentifier);
  if (decoded.authorityKeyIdentifier?.keyIdentifier) report.authority_key_identifier = toColonHex(decoded.authorityKeyIdentifier.keyIdentifier);
  const shown = new Set(['basicConstraints', 'keyUsage', 'extKeyUsage', 'subjectAltName', 'subjectKeyIdentifier', 'authorityKeyIdentifier']);
  const others = extensions.filter((e) => !shown.has(e.name));
  if (others.length) report.other = others.map((e) => ({ name: e.name, oid: e.oid, critical: e.critical }));
  return report;
}

function keyReport(key: PublicKeyInfo): JsonObject {
  return { key_type: keyTypeLabel(key), public_key_fingerprints: publicKeyFingerprints(key.spki) };
}

/** Everything but `type`, so that a PKCS#12 report can nest it. */
export function certificateFields(certificate: Certificate): JsonObject {
  const { publicKey } = certificate;
  return {
    subject: certificate.subject.toString(),
    common_name: commonNameOf(certificate.subject),
    issuer: certificate.issuer.toString(),
    serial: certificate.serialNumber,
    not_before: isoTime(certificate.notBefore),
    not_after: isoTime(certificate.notAfter),
    ...keyReport(publicKey),
    signature_algorithm: certificate.signatureAlgorithm.name,
    version: certificate.version,
    fingerprints: { 'SHA-1': fingerprint(certificate, 'sha1'), 'SHA-256': fingerprint(certificate, 'sha256') },
    extensions: extensionsReport(certificate.extensions, certificate),
  };
}

export const certificateReport = (certificate: Certificate): JsonObject => ({ type: 'certificate', ...certificateFields(certificate) });

/** `signatureValid` comes from x509's `verifyCsr`; the request is reported either way. */
export function csrReport(csr: CertificationRequest, signatureValid: boolean): JsonObject {
  return {
    type: 'csr',
    subject: csr.subject.toString(),
    common_name: commonNameOf(csr.subject),
    ...keyReport(csr.publicKey),
    signature_algorithm: csr.signatureAlgorithm.name,
    signature_valid: signatureValid,
    requested_extensions: extensionsReport(csr.requestedExtensions, csr.decodedRequestedExtensions),
  };
}

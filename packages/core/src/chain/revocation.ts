/**
 * Revocation data for path validation: a SHA-256 fingerprint denylist covering every
 * certificate of a path (the trust anchor included), and CRLs.
 *
 * CRL rules (the corpus in packages/test-vectors/chains fixes them):
 * - A CRL applies to the certificates whose issuer name is byte-identical to the CRL's issuer
 *   and, when the CRL has an authorityKeyIdentifier and the issuer a subjectKeyIdentifier, whose
 *   issuer's key matches it (so a same-named CA's CRL is not taken for this one). Certificates
 *   whose issuer has no applicable CRL are not checked: CRLs are optional, per issuer.
 * - A CRL is usable for a certificate when the issuer certificate on the path may sign CRLs
 *   (keyUsage, when present, has cRLSign), its signature algorithm is acceptable, it verifies
 *   with the issuer's key, it has no critical extension ecp does not process, and
 *   thisUpdate <= at <= nextUpdate (a CRL without nextUpdate does not go stale).
 * - If any usable CRL lists the certificate's serial number: revoked. Else, if at least one
 *   applicable CRL is usable: not revoked (an old or forged CRL beside a good one does not
 *   matter). Else the status is unknown and the path fails closed, with the reason of the
 *   first unusable CRL, preferring one whose signature verified: a stale or future CRL gives
 *   `revoked`, one that does not verify `bad_signature`, one whose issuer lacks cRLSign
 *   `key_usage`, an unsupported critical extension `critical_extension`, a refused algorithm
 *   `weak_algorithm` or `malformed`.
 */
import { createHash } from 'node:crypto';
import { toHex } from '../bytes.js';
import type { CertificateRevocationList } from './crl.js';
import { failure, type CheckFailure } from './checks.js';
import type { CertificatePathReason } from './errors.js';
import { bytesKey, type PathCertificate } from './path-certificate.js';
import { signatureSchemeOf, verifySignedData } from './signature.js';

interface IndexedCrl {
  readonly crl: CertificateRevocationList;
  readonly fingerprint: string;
  readonly authorityKeyId?: string;
}

interface CrlProblem {
  readonly reason: CertificatePathReason;
  readonly detail: string;
  /** The CRL's signature verified: its problem says more than a forged CRL's. */
  readonly authentic: boolean;
}

/** CRL signature results per issuer key, kept beside each parsed CRL. */
const signatureResults = new WeakMap<CertificateRevocationList, Map<string, boolean>>();

export class RevocationIndex {
  private readonly byIssuer = new Map<string, IndexedCrl[]>();
  private readonly denied: ReadonlySet<string>;

  /** `deniedFingerprints`: lower-case hex SHA-256, already normalized. */
  constructor(crls: readonly CertificateRevocationList[], deniedFingerprints: ReadonlySet<string>) {
    this.denied = deniedFingerprints;
    for (const crl of crls) {
      const entry: IndexedCrl = {
        crl,
        fingerprint: createHash('sha256').update(crl.der).digest('hex'),
        ...(crl.authorityKeyIdentifier ? { authorityKeyId: toHex(crl.authorityKeyIdentifier) } : {}),
      };
      const key = bytesKey(crl.issuer.der);
      const list = this.byIssuer.get(key) ?? [];
      if (!list.some((e) => e.fingerprint === entry.fingerprint)) list.push(entry);
      this.byIssuer.set(key, list);
    }
    // A fixed order, whatever the order of the configured list.
    for (const list of this.byIssuer.values()) list.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  }

  get crlCount(): number {
    let n = 0;
    for (const list of this.byIssuer.values()) n += list.length;
    return n;
  }

  deniedFailure(pc: PathCertificate): CheckFailure | undefined {
    return this.denied.has(pc.fingerprint) ? failure('revoked', pc, 'its SHA-256 fingerprint is on the denylist') : undefined;
  }

  /** The CRL verdict for `subject`, issued by `issuer` on the path under evaluation. */
  crlFailure(subject: PathCertificate, issuer: PathCertificate, at: Date): CheckFailure | undefined {
    const list = this.byIssuer.get(subject.issuerName);
    if (!list) return undefined;
    let usable = false;
    let problem: CrlProblem | undefined;
    for (const entry of list) {
      if (entry.authorityKeyId && issuer.subjectKeyId && entry.authorityKeyId !== issuer.subjectKeyId) continue;
      const found = this.problemOf(entry, issuer, at);
      if (found) {
        if (!problem || (found.authentic && !problem.authentic)) problem = found;
        continue;
      }
      usable = true;
      if (entry.crl.revokedSerials.has(subject.certificate.serialNumber)) {
        return failure('revoked', subject, `serial number ${subject.certificate.serialNumber} is on the CRL of ${issuer.subject}`);
      }
    }
    if (usable || !problem) return undefined;
    return failure(problem.reason, subject, `revocation status unknown: ${problem.detail}`);
  }

  private problemOf(entry: IndexedCrl, issuer: PathCertificate, at: Date): CrlProblem | undefined {
    const { crl } = entry;
    const from = `the CRL of ${issuer.subject}`;
    const keyUsage = issuer.certificate.keyUsage;
    if (keyUsage && !keyUsage.cRLSign) return { reason: 'key_usage', detail: `${from}: the issuer's keyUsage lacks cRLSign`, authentic: false };
    const scheme = signatureSchemeOf(crl.signatureAlgorithm);
    if ('refusal' in scheme) return { reason: scheme.refusal.reason, detail: `${from}: ${scheme.refusal.detail}`, authentic: false };
    const key = issuer.signingKey();
    if ('refusal' in key) return { reason: key.refusal.reason, detail: `${from}: ${key.refusal.detail}`, authentic: false };
    let results = signatureResults.get(crl);
    if (!results) signatureResults.set(crl, (results = new Map()));
    let verified = results.get(issuer.fingerprint);
    if (verified === undefined) {
      verified = verifySignedData(crl.signatureAlgorithm, key.key, crl.tbs, crl.signatureValue);
      results.set(issuer.fingerprint, verified);
    }
    if (!verified) return { reason: 'bad_signature', detail: `${from} does not verify with the issuer's key`, authentic: false };
    if (crl.unsupportedCriticalExtensions.length > 0) {
      return { reason: 'critical_extension', detail: `${from} has unsupported critical extensions (${crl.unsupportedCriticalExtensions.join(', ')})`, authentic: true };
    }
    if (at.getTime() < crl.thisUpdate.getTime()) {
      return { reason: 'revoked', detail: `${from} is not valid before ${crl.thisUpdate.toISOString()}`, authentic: true };
    }
    if (crl.nextUpdate && at.getTime() > crl.nextUpdate.getTime()) {
      return { reason: 'revoked', detail: `${from} went stale at ${crl.nextUpdate.toISOString()}`, authentic: true };
    }
    return undefined;
  }
}

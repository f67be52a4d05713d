/**
 * Certification-path building with backtracking (RFC 4158 in spirit), and validation of
 * each complete candidate path (RFC 5280 §6.1 plus ecp's policy).
 *
 * Search: depth first from the leaf. The candidate issuers of a certificate are the anchors
 * and intermediates whose subject DER equals its issuer DER, tried in a fixed order that does
 * not depend on the configured lists: authorityKeyIdentifier = subjectKeyIdentifier first
 * (a preference, not a requirement), then those valid at `at`, then anchors before
 * intermediates, then by SHA-256 fingerprint. A link is accepted when the child's signature
 * algorithm is acceptable, the candidate's key is acceptable and the signature verifies.
 * Reaching an anchor completes a path, which is then checked certificate by certificate
 * from the leaf up; the first path that passes is the answer. A certificate whose name and
 * key are already on the path is not used again (loops), paths hold at most
 * {@link MAX_PATH_LENGTH} certificates, and a validation performs at most
 * {@link MAX_SIGNATURE_CHECKS} signature verifications and tries at most
 * {@link MAX_LINK_ATTEMPTS} issuer candidates, cached signature results included (without
 * that second bound, a pool of same-named, same-keyed intermediates whose links are all
 * cached let every validation walk an exponential number of paths).
 *
 * Names chain by byte-identical DER (issuer of the child = subject of the issuer), not by
 * RFC 5280 §7.1 case-folding comparison: §4.1.2.4 requires CAs to copy their subject into
 * what they issue, Go's verifier does the same, and the chain corpus fixes it. A trust
 * anchor's own signature is never checked (it is trusted by configuration, so a SHA-1
 * self-signed root is fine); every other signature on the path is.
 *
 * When every path fails, the reported failure is that of the attempt that got furthest:
 * an attempt that reached a trust anchor (its failure says something about a path that is
 * cryptographically sound) beats one that did not; among those that reached an anchor, the
 * one whose first failing certificate is furthest from the leaf wins; among the others, the
 * one with the most verified links. Ties go to the attempt made first in the fixed order.
 */
import { bytesEqual } from '../bytes.js';
import {
  criticalExtensionFailure,
  failure,
  issuerFailure,
  keyFailure,
  leafUsageFailure,
  validityFailure,
  type CheckFailure,
} from './checks.js';
import { CertificatePathError } from './errors.js';
import type { PathCertificate } from './path-certificate.js';
import type { RevocationIndex } from './revocation.js';
import { verifySignedData } from './signature.js';

/** Longest path considered, leaf and trust anchor included. */
export const MAX_PATH_LENGTH = 8;
/** Signature verifications one validation may perform before giving up. */
export const MAX_SIGNATURE_CHECKS = 64;
/** Issuer candidates one validation may try, whether their signature result is cached or not. */
export const MAX_LINK_ATTEMPTS = 256;

export interface IssuerCandidate {
  readonly certificate: PathCertificate;
  readonly anchor: boolean;
}

/** What the search needs from the configured trust anchors, intermediates and revocation data. */
export interface PathBuildingStore {
  isAnchor(certificate: PathCertificate): boolean;
  /** Anchors and intermediates whose subject is `certificate`'s issuer, in a fixed order. */
  issuersOf(certificate: PathCertificate): readonly IssuerCandidate[];
  readonly revocation: RevocationIndex;
  /**
   * Signature results of links between configured certificates (child fingerprint + issuer
   * fingerprint), kept across validations: only the leaf's signature is new each time.
   */
  readonly linkResults: Map<string, boolean>;
}

interface Attempt {
  readonly failure: CheckFailure;
  readonly reachedAnchor: boolean;
  /** Reached an anchor: index of the failing certificate; else: the number of verified links. */
  readonly progress: number;
}

const better = (a: Attempt, b: Attempt | undefined): boolean =>
  !b || (a.reachedAnchor !== b.reachedAnchor ? a.reachedAnchor : a.progress > b.progress);

const akiRank = (child: PathCertificate, issuer: PathCertificate): number =>
  child.authorityKeyId === undefined || issuer.subjectKeyId === undefined ? 1 : child.authorityKeyId === issuer.subjectKeyId ? 0 : 2;

const validAt = (pc: PathCertificate, time: number): boolean =>
  pc.certificate.notBefore.getTime() <= time && time <= pc.certificate.notAfter.getTime();

/** One validation: build paths from `leaf` and return the first that passes every check. */
export class PathSearch {
  private best: Attempt | undefined;
  private signatureChecks = 0;
  private linkAttempts = 0;

  constructor(
    private readonly store: PathBuildingStore,
    private readonly at: Date,
  ) {}

  run(leaf: PathCertificate): PathCertificate[] {
    if (this.store.isAnchor(leaf)) {
      // A leaf that is itself a trust anchor is trusted directly; it is still checked as a leaf.
      const path = [leaf];
      if (this.completed(path)) return path;
    }
    const found = this.extend([leaf]);
    if (found) return found;
    const { failure: f } = this.best ?? { failure: failure('untrusted', leaf, 'no path to a trust anchor') };
    throw new CertificatePathError(f.reason, f.certificate.subject, f.detail);
  }

  private record(attempt: Attempt): void {
    if (better(attempt, this.best)) this.best = attempt;
  }

  private extend(path: PathCertificate[]): PathCertificate[] | undefined {
    const tail = path[path.length - 1]!;
    const links = path.length - 1;
    if (path.length >= MAX_PATH_LENGTH) {
      this.record({ failure: failure('untrusted', tail, `no trust anchor within ${MAX_PATH_LENGTH} certificates`), reachedAnchor: false, progress: links });
      return undefined;
    }
    const candidates = this.candidates(tail, path);
    if (candidates.length === 0) {
      this.record({ failure: failure('untrusted', tail, 'no trusted issuer certificate found for it'), reachedAnchor: false, progress: links });
      return undefined;
    }
    for (const candidate of candidates) {
      if (this.signatureChecks >= MAX_SIGNATURE_CHECKS) {
        this.record({ failure: failure('untrusted', tail, `path building gave up after ${MAX_SIGNATURE_CHECKS} signature checks`), reachedAnchor: false, progress: links });
        return undefined;
      }
      if (this.linkAttempts >= MAX_LINK_ATTEMPTS) {
        this.record({ failure: failure('untrusted', tail, `path building gave up after ${MAX_LINK_ATTEMPTS} candidate issuers`), reachedAnchor: false, progress: links });
        return undefined;
      }
      this.linkAttempts++;
      const linkFailure = this.link(tail, candidate.certificate, path.length === 1);
      if (linkFailure) {
        this.record({ failure: linkFailure, reachedAnchor: false, progress: links });
        continue;
      }
      const next = [...path, candidate.certificate];
      if (candidate.anchor) {
        if (this.completed(next)) return next;
        continue;
      }
      const found = this.extend(next);
      if (found) return found;
    }
    return undefined;
  }

  /** Issuer candidates of `tail`, in the fixed order, without certificates already on the path. */
  private candidates(tail: PathCertificate, path: readonly PathCertificate[]): IssuerCandidate[] {
    const onPath = (c: PathCertificate): boolean =>
      path.some((p) => p.subjectName === c.subjectName && bytesEqual(p.certificate.publicKey.spki, c.certificate.publicKey.spki));
    const list = this.store.issuersOf(tail).filter((c) => !onPath(c.certificate));
    if (list.length < 2) return list;
    const time = this.at.getTime();
    const rank = (c: IssuerCandidate): number => akiRank(tail, c.certificate) * 2 + (validAt(c.certificate, time) ? 0 : 1);
    // Stable: the store's order (anchors first, then by fingerprint) breaks ties.
    return list.sort((a, b) => rank(a) - rank(b));
  }

  /** Whether `issuer` signed `child`: algorithm policy, key policy, then the signature. */
  private link(child: PathCertificate, issuer: PathCertificate, childIsLeaf: boolean): CheckFailure | undefined {
    const scheme = child.scheme();
    if ('refusal' in scheme) return failure(scheme.refusal.reason, child, scheme.refusal.detail);
    const key = issuer.signingKey();
    if ('refusal' in key) return failure(key.refusal.reason, issuer, `its key cannot sign certificates: ${key.refusal.detail}`);
    const cacheKey = childIsLeaf ? undefined : `${child.fingerprint}>${issuer.fingerprint}`;
    let verified = cacheKey === undefined ? undefined : this.store.linkResults.get(cacheKey);
    if (verified === undefined) {
      this.signatureChecks++;
      const { certificate } = child;
      verified = verifySignedData(certificate.signatureAlgorithm, key.key, certificate.tbs, certificate.signatureValue);
      if (cacheKey !== undefined) this.store.linkResults.set(cacheKey, verified);
    }
    return verified ? undefined : failure('bad_signature', child, `its signature does not verify with the key of ${issuer.subject}`);
  }

  /** Checks a path that reached an anchor; records its failure and returns false, or returns true. */
  private completed(path: readonly PathCertificate[]): boolean {
    const found = this.check(path);
    if (!found) return true;
    this.record({ failure: found.failure, reachedAnchor: true, progress: found.index });
    return false;
  }

  /**
   * Every certificate from the leaf up: denylist, CRL (all but the anchor), validity, key
   * strength, critical extensions, then the leaf's usage or the issuer's constraints.
   */
  private check(path: readonly PathCertificate[]): { failure: CheckFailure; index: number } | undefined {
    const { revocation } = this.store;
    const length = path.length;
    let intermediatesBelow = 0;
    for (let i = 0; i < length; i++) {
      const pc = path[i]!;
      const isAnchor = i === length - 1;
      const found =
        revocation.deniedFailure(pc) ??
        (isAnchor ? undefined : revocation.crlFailure(pc, path[i + 1]!, this.at)) ??
        validityFailure(pc, this.at) ??
        keyFailure(pc) ??
        criticalExtensionFailure(pc) ??
        (i === 0 ? leafUsageFailure(pc) : issuerFailure(pc, isAnchor, intermediatesBelow));
      if (found) return { failure: found, index: i };
      if (i > 0 && !pc.selfIssued) intermediatesBelow++;
    }
    return undefined;
  }
}

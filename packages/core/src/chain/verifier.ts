/**
 * Client-certificate path validation: {@link ChainVerifier} (parse the trust anchors,
 * intermediates and revocation data once, validate many leaves) and the one-shot
 * {@link verifyCertificateChain}. See path-builder.ts for the search and the failure rule,
 * checks.ts for the per-certificate rules and revocation.ts for CRLs and the denylist.
 *
 * Everything is synchronous: node:crypto verifies synchronously, and a validation costs a
 * parse of the leaf plus, typically, one signature verification (links between configured
 * certificates are verified once and remembered).
 */
import { EcpError, InvalidCertificateError, MalformedInputError } from '../errors.js';
import { decodePemBlocks, looksLikePem } from '../pem.js';
import { CERTIFICATE_PEM_LABELS, parseCertificate, type Certificate } from '../x509/certificate.js';
import { parseCrls, type CertificateRevocationList } from './crl.js';
import { CertificatePathError } from './errors.js';
import { PathSearch, type IssuerCandidate, type PathBuildingStore } from './path-builder.js';
import { pathCertificate, type PathCertificate } from './path-certificate.js';
import { RevocationIndex } from './revocation.js';

/** A parsed certificate, its DER, or PEM (text or bytes; several CERTIFICATE blocks allowed where a list is expected). */
export type CertificateInput = Certificate | Uint8Array | string;
/** A parsed CRL, its DER, or PEM with one or more `X509 CRL` blocks. */
export type CrlInput = CertificateRevocationList | Uint8Array | string;

export interface RevocationOptions {
  readonly crls?: readonly CrlInput[];
  /** SHA-256 fingerprints of the DER (hex, with or without colons, any case); checked against every certificate of a path. */
  readonly revokedFingerprints?: readonly string[];
}

export interface ChainVerifierOptions extends RevocationOptions {
  /** The certificates whose keys are trusted; a path must end at one of them. */
  readonly trustAnchors: readonly CertificateInput[];
  /** Untrusted CA certificates that may be used to build a path. */
  readonly intermediates?: readonly CertificateInput[];
}

export interface ValidationOptions {
  /** Time of the validation; default now. */
  readonly at?: Date;
  /** What the leaf is used for; client authentication is the only purpose (and the default). */
  readonly purpose?: 'clientAuth';
}

export interface ValidatedPath {
  /** The certification path: the leaf first, the trust anchor last (one element when the leaf is itself an anchor). */
  readonly path: Certificate[];
}

const isCertificate = (input: CertificateInput): input is Certificate => typeof input !== 'string' && !(input instanceof Uint8Array);

/** Every certificate in one input: a parsed certificate, one DER certificate, or PEM with one or more CERTIFICATE blocks. */
export function parseCertificateList(input: CertificateInput): Certificate[] {
  if (isCertificate(input)) return [input];
  if (typeof input !== 'string' && !looksLikePem(input)) return [parseCertificate(input)];
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  let blocks;
  try {
    blocks = decodePemBlocks(text).filter((b) => (CERTIFICATE_PEM_LABELS as readonly string[]).includes(b.label));
  } catch (error) {
    throw new InvalidCertificateError(`not a valid X.509 certificate: ${(error as Error).message}`, { cause: error });
  }
  if (blocks.length === 0) throw new InvalidCertificateError('no PEM CERTIFICATE block found');
  return blocks.map((b) => parseCertificate(b.der));
}

/** A SHA-256 fingerprint as lower-case hex without separators; throws for anything else. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new MalformedInputError(`"${fingerprint.slice(0, 100)}" is not a SHA-256 fingerprint (64 hex digits)`);
  return hex;
}

function parseAll(inputs: readonly CertificateInput[], what: string): Certificate[] {
  return inputs.flatMap((input, i) => {
    try {
      return parseCertificateList(input);
    } catch (error) {
      const detail = error instanceof EcpError ? error.message : String(error);
      throw new InvalidCertificateError(`${what} #${i + 1}: ${detail}`, { cause: error });
    }
  });
}

function revocationIndexOf(options: RevocationOptions): RevocationIndex {
  const crls = (options.crls ?? []).flatMap((input, i) => {
    if (typeof input !== 'string' && !(input instanceof Uint8Array)) return [input];
    try {
      return parseCrls(input);
    } catch (error) {
      const detail = error instanceof EcpError ? error.message : String(error);
      throw new MalformedInputError(`CRL #${i + 1}: ${detail}`, { cause: error });
    }
  });
  return new RevocationIndex(crls, new Set((options.revokedFingerprints ?? []).map(normalizeFingerprint)));
}

const byFingerprint = (a: PathCertificate, b: PathCertificate): number => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);

/** The configured anchors and intermediates, indexed by subject, deduplicated, in a fixed order. */
class TrustIndex {
  readonly anchors: readonly Certificate[];
  readonly intermediates: readonly Certificate[];
  readonly linkResults = new Map<string, boolean>();
  private readonly anchorFingerprints = new Set<string>();
  private readonly bySubject = new Map<string, IssuerCandidate[]>();

  constructor(anchors: readonly Certificate[], intermediates: readonly Certificate[]) {
    const unique = (list: readonly Certificate[], skip: ReadonlySet<string>): PathCertificate[] => {
      const seen = new Set(skip);
      return list.map((c) => pathCertificate(c)).filter((pc) => !seen.has(pc.fingerprint) && seen.add(pc.fingerprint)).sort(byFingerprint);
    };
    const anchorEntries = unique(anchors, new Set());
    for (const pc of anchorEntries) this.anchorFingerprints.add(pc.fingerprint);
    // A certificate configured both ways is an anchor.
    const intermediateEntries = unique(intermediates, this.anchorFingerprints);
    this.anchors = anchorEntries.map((pc) => pc.certificate);
    this.intermediates = intermediateEntries.map((pc) => pc.certificate);
    const add = (pc: PathCertificate, anchor: boolean): void => {
      const list = this.bySubject.get(pc.subjectName) ?? [];
      list.push({ certificate: pc, anchor });
      this.bySubject.set(pc.subjectName, list);
    };
    for (const pc of anchorEntries) add(pc, true);
    for (const pc of intermediateEntries) add(pc, false);
  }

  isAnchor(pc: PathCertificate): boolean {
    return this.anchorFingerprints.has(pc.fingerprint);
  }

  issuersOf(pc: PathCertificate): readonly IssuerCandidate[] {
    return this.bySubject.get(pc.issuerName) ?? [];
  }
}

/** Passes a verifier's parsed anchors and intermediates to another (withRevocation); not exported. */
const SHARED_TRUST = Symbol('shared trust index');
interface InternalOptions extends ChainVerifierOptions {
  readonly [SHARED_TRUST]?: TrustIndex;
}

/**
 * Validates client-certificate paths against a fixed configuration. Build one per set of
 * trust anchors and reuse it: anchors and intermediates are parsed, indexed and their keys
 * imported once. Use {@link ChainVerifier.withRevocation} when CRLs or the denylist change.
 * Malformed configuration (an unparsable anchor, intermediate, CRL or fingerprint) throws
 * from the constructor (`InvalidCertificateError` / `MalformedInputError`): it is not a verdict.
 */
export class ChainVerifier {
  readonly #trust: TrustIndex;
  readonly #store: PathBuildingStore;

  constructor(options: ChainVerifierOptions) {
    const trust =
      (options as InternalOptions)[SHARED_TRUST] ??
      new TrustIndex(parseAll(options.trustAnchors, 'trust anchor'), parseAll(options.intermediates ?? [], 'intermediate'));
    this.#trust = trust;
    this.#store = {
      revocation: revocationIndexOf(options),
      linkResults: trust.linkResults,
      isAnchor: (certificate) => trust.isAnchor(certificate),
      issuersOf: (certificate) => trust.issuersOf(certificate),
    };
  }

  /** The trust anchors, deduplicated, in the verifier's fixed order. */
  get trustAnchors(): readonly Certificate[] {
    return this.#trust.anchors;
  }

  /** The intermediates, deduplicated (anchors removed), in the verifier's fixed order. */
  get intermediates(): readonly Certificate[] {
    return this.#trust.intermediates;
  }

  /** A verifier with the same anchors and intermediates (already parsed) and new revocation data. */
  withRevocation(options: RevocationOptions): ChainVerifier {
    const internal: InternalOptions = { ...options, trustAnchors: [], [SHARED_TRUST]: this.#trust };
    return new ChainVerifier(internal);
  }

  /**
   * The validated path of `leaf` (a parsed certificate, DER, or PEM: the first CERTIFICATE
   * block). Throws {@link CertificatePathError} with the reason when no path is valid;
   * an unparsable leaf is `malformed`.
   */
  verify(leaf: CertificateInput, options: ValidationOptions = {}): ValidatedPath {
    const at = options.at ?? new Date();
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('verify: `at` must be a valid Date');
    if (options.purpose !== undefined && options.purpose !== 'clientAuth') throw new TypeError(`verify: unsupported purpose ${String(options.purpose)}`);
    let certificate: Certificate;
    try {
      certificate = isCertificate(leaf) ? leaf : parseCertificate(leaf);
    } catch (error) {
      const detail = error instanceof EcpError ? error.message : 'not a certificate';
      throw new CertificatePathError('malformed', '', detail, { cause: error });
    }
    // A leaf parsed here is never seen again: its derived data is not worth remembering.
    const path = new PathSearch(this.#store, at).run(pathCertificate(certificate, isCertificate(leaf)));
    return { path: path.map((pc) => pc.certificate) };
  }
}

/**
 * One-shot path validation of a client certificate. For repeated validations against the
 * same configuration, build a {@link ChainVerifier} once instead (this parses the anchors,
 * intermediates and CRLs on every call unless they are passed already parsed).
 */
export function verifyCertificateChain(leaf: CertificateInput, options: ChainVerifierOptions & ValidationOptions): ValidatedPath {
  return new ChainVerifier(options).verify(leaf, options);
}

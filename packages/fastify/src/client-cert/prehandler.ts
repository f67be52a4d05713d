/**
 * `createClientCertificatePreHandler(options)`: a Fastify preHandler that authenticates a
 * request by its TLS client certificate (from the TLS socket, or from a trusted proxy's
 * header) and validates it with @ecp/core's `ChainVerifier` (RFC 5280 path to a configured
 * CA, validity, CRLs and a fingerprint denylist, clientAuth usage).
 *
 *   400 no certificate, or one that cannot be read    {"error","code"}
 *   403 a certificate that was read and refused       {"error","code","reason"}
 *   pass request.clientCertificate (+ clientCertificateUser when a mapping is configured)
 *
 * ```ts
 * const mtls = createClientCertificatePreHandler({ trustAnchors: [caPem], trustedProxies: ['127.0.0.1'], mapUser: 'cn' });
 * app.get('/whoami', { preHandler: mtls }, async (request) => request.clientCertificate);
 * await mtls.reloadRevocation({ revokedFingerprints: [...] }); // no restart, cache cleared
 * ```
 */
import { createHash } from 'node:crypto';
import {
  CertificatePathError,
  ChainVerifier,
  EcpError,
  fingerprint,
  fromHex,
  parseCertificate,
  toColonHex,
  type Certificate,
  type CertificateInput,
  type CrlInput,
} from '@ecp/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseTrustedProxies, type TrustedProxies } from '../client-ip.js';
import { sendHttpError } from '../errors.js';
import { EcpOptionsError } from '../options.js';
import { AcceptedCertificateCache, type AcceptedCertificateCacheOptions } from './cache.js';
import { certificateMalformed, certificateRejected, certificateRequired, ClientCertificateError, unknownCertificateUser } from './errors.js';
import { CERTIFICATE_HEADER_FORMATS, type CertificateHeaderFormat } from './header-decoding.js';
import {
  parseInline,
  readRevocationFiles,
  readRevocationFilesSync,
  revocationData,
  watchRevocationFiles,
  type InlineRevocation,
  type RevocationData,
  type RevocationFiles,
} from './revocation-sources.js';
import { decodeHeaderValue, DEFAULT_CERTIFICATE_HEADER, presentedCertificate, type CertificateSourceOptions } from './sources.js';
import type { ClientCertificate, ClientCertificateUser } from './types.js';

/** Built-in ways to find the user a certificate belongs to. */
export type ClientCertificateMapping = 'cn' | 'san-email' | 'fingerprint';

export interface ClientCertificateOptions<User = ClientCertificateUser> {
  /** The CA certificates a client certificate must chain to (PEM with one or more certificates, DER, or parsed). */
  trustAnchors: readonly CertificateInput[];
  /** Untrusted intermediate CA certificates used to build paths (proxies forward only the leaf). */
  intermediates?: readonly CertificateInput[];
  /** CRLs (PEM or DER) of the CAs; a certificate whose issuer has a CRL is checked against it. */
  crls?: readonly CrlInput[];
  /** CRL files (PEM or DER), read at start-up and by `reloadRevocation()`. */
  crlFiles?: readonly string[];
  /** SHA-256 fingerprints (hex, colons optional) refused anywhere in a path. */
  revokedFingerprints?: readonly string[];
  /** A denylist file: one SHA-256 fingerprint per line, `#` comments. */
  revokedFingerprintsFile?: string;
  /** Re-read `crlFiles` / `revokedFingerprintsFile` when they change (polling, default every 5 s). */
  watchRevocationFiles?: boolean | { intervalMs?: number };
  /** Called when a watched file fails to reload (the previous data stays in force). */
  onRevocationReloadError?: (error: unknown) => void;
  /** Header set by the TLS-terminating proxy (default `x-client-cert`), or false for the TLS socket only. */
  header?: string | false;
  /** The header's encoding (default `'auto'`: recognised by its shape). */
  headerFormat?: CertificateHeaderFormat;
  /** Peers whose header is believed: IPs or CIDRs (default none), or the plugin's `fastify.ecp.trustedProxies`. */
  trustedProxies?: readonly string[] | TrustedProxies;
  /**
   * Who the certificate belongs to. `'cn'` / `'san-email'` use the subject CN / first SAN
   * e-mail, `'fingerprint'` the SHA-256 fingerprint (lower-case hex, no colons); each is
   * passed to `lookupUser` (required for `'fingerprint'`; without it the CN or e-mail itself
   * is the user). A function receives the accepted certificate. A null user is a 403.
   */
  mapUser?: ClientCertificateMapping | ((certificate: ClientCertificate) => Promise<User | null> | User | null);
  /** Finds the user for the key `mapUser` picked; null when there is none. */
  lookupUser?: (key: string, certificate: ClientCertificate) => Promise<User | null> | User | null;
  /** Accepted-certificate cache (default 10 000 entries, 5 minutes), or false to validate every request. */
  cache?: AcceptedCertificateCacheOptions | false;
  /** The clock, in epoch milliseconds (default `Date.now`); for tests and replays. */
  clock?: () => number;
}

/** The preHandler, with the controls an application needs while it runs. */
export interface ClientCertificatePreHandler {
  (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /**
   * Replaces the in-code CRLs and/or fingerprint list (fields left out keep their value),
   * re-reads the configured files, and clears the cache. Takes effect for the next request;
   * throws (and keeps the previous data) when anything fails to parse.
   */
  reloadRevocation(update?: Partial<InlineRevocation>): Promise<void>;
  /** Certificates currently cached. */
  readonly cacheSize: number;
  /** Stops watching files (register it on `onClose` when watching). */
  close(): void;
}

interface Accepted {
  certificate: ClientCertificate;
  user: unknown;
}

/** Lower-case header names as Node presents them; a name outside the HTTP token set is a typo. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,256}$/;

export function createClientCertificatePreHandler<User = ClientCertificateUser>(options: ClientCertificateOptions<User>): ClientCertificatePreHandler {
  if (typeof options !== 'object' || options === null) throw new EcpOptionsError('client certificates: options are required');
  const sources = sourceOptions(options);
  const clock = options.clock ?? Date.now;
  const mapUser = userMapping(options);
  const cache = options.cache === false ? undefined : cacheOf(options.cache);
  const files: RevocationFiles = { crlFiles: [...(options.crlFiles ?? [])], revokedFingerprintsFile: options.revokedFingerprintsFile };

  let inline = optionStep('revocation lists', () => parseInline({ crls: options.crls ?? [], revokedFingerprints: options.revokedFingerprints ?? [] }));
  let fromFiles = optionStep('revocation files', () => readRevocationFilesSync(files));
  let revocation = revocationData([...inline.crls, ...fromFiles.crls], [...inline.revokedFingerprints, ...fromFiles.revokedFingerprints]);
  let verifier = optionStep('trust anchors', () => {
    if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) throw new TypeError('`trustAnchors` must list at least one CA certificate');
    return new ChainVerifier({ trustAnchors: options.trustAnchors, intermediates: options.intermediates ?? [], crls: revocation.crls, revokedFingerprints: revocation.revokedFingerprints });
  });
  if (verifier.trustAnchors.length === 0) throw new EcpOptionsError('client certificates: `trustAnchors` holds no certificate');
  // Bumped on every revocation change: a validation that straddles one is not cached.
  let generation = 0;

  const install = (data: RevocationData): void => {
    const next = verifier.withRevocation({ crls: data.crls, revokedFingerprints: data.revokedFingerprints });
    verifier = next;
    revocation = data;
    generation++;
    cache?.clear();
  };

  const reloadRevocation = async (update: Partial<InlineRevocation> = {}): Promise<void> => {
    const nextInline =
      update.crls === undefined && update.revokedFingerprints === undefined
        ? inline
        : parseInline({ crls: update.crls ?? [], revokedFingerprints: update.revokedFingerprints ?? [] });
    // Fields left out keep their current parsed value.
    const merged = {
      crls: update.crls === undefined ? inline.crls : nextInline.crls,
      revokedFingerprints: update.revokedFingerprints === undefined ? inline.revokedFingerprints : nextInline.revokedFingerprints,
    };
    const nextFiles = files.crlFiles.length === 0 && files.revokedFingerprintsFile === undefined ? fromFiles : await readRevocationFiles(files);
    install(revocationData([...merged.crls, ...nextFiles.crls], [...merged.revokedFingerprints, ...nextFiles.revokedFingerprints]));
    inline = merged;
    fromFiles = nextFiles;
  };

  let stopWatching = (): void => {};
  if (options.watchRevocationFiles) {
    const intervalMs = typeof options.watchRevocationFiles === 'object' ? (options.watchRevocationFiles.intervalMs ?? 5_000) : 5_000;
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 10) throw new EcpOptionsError('client certificates: `watchRevocationFiles.intervalMs` must be an integer >= 10');
    const onError = options.onRevocationReloadError ?? ((error: unknown) => console.error('@ecp/fastify: revocation files not reloaded:', (error as Error).message));
    // Reloads run one after another; a change seen during a reload triggers one more.
    let running: Promise<void> | undefined;
    let again = false;
    const reload = (): void => {
      if (running !== undefined) {
        again = true;
        return;
      }
      running = reloadRevocation()
        .catch(onError)
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            reload();
          }
        });
    };
    stopWatching = watchRevocationFiles(files, intervalMs, reload);
  }

  const validate = async (der: Uint8Array, key: string, now: number): Promise<Accepted> => {
    let leaf: Certificate;
    try {
      leaf = parseCertificate(der);
    } catch (error) {
      throw certificateMalformed('it is not a DER X.509 certificate', error);
    }
    const startedIn = generation;
    const data = revocation;
    let path: Certificate[];
    try {
      path = verifier.verify(leaf, { at: new Date(now), purpose: 'clientAuth' }).path;
    } catch (error) {
      if (error instanceof CertificatePathError) throw certificateRejected(error.reason, error);
      throw error;
    }
    const certificate = describe(leaf, path, key);
    let user: unknown = null;
    if (mapUser !== undefined) {
      user = (await mapUser(certificate)) ?? null;
      if (user === null) throw unknownCertificateUser();
    }
    const accepted: Accepted = { certificate, user };
    if (cache !== undefined && startedIn === generation) {
      let lastValid = data.freshUntil;
      for (const member of path) lastValid = Math.min(lastValid, member.notAfter.getTime());
      cache.set(key, accepted, now, lastValid);
    }
    return accepted;
  };

  /** The cached verdict for `der`, or a fresh validation (cached when accepted). */
  const acceptedFor = async (der: Uint8Array, now: number, headerValue: string | undefined): Promise<Accepted> => {
    const key = createHash('sha256').update(der).digest('hex');
    const accepted = cache?.get(key, now) ?? (await validate(der, key, now));
    if (headerValue !== undefined) cache?.addAlias(headerValue, key);
    return accepted;
  };

  const preHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    let accepted: Accepted | undefined;
    try {
      const presented = presentedCertificate(request, sources);
      if (presented === null) throw certificateRequired();
      const now = clock();
      if (presented.source === 'tls') {
        accepted = await acceptedFor(presented.der, now, undefined);
      } else {
        // The hot path: the same proxy header as before, for a certificate still cached.
        accepted = cache?.getByAlias(presented.value, now);
        if (accepted === undefined) {
          const der = decodeHeaderValue(presented.value, sources.header as string, sources.headerFormat);
          if (der === null) throw certificateRequired();
          accepted = await acceptedFor(der, now, presented.value);
        }
      }
    } catch (error) {
      if (!(error instanceof ClientCertificateError)) throw error;
      request.log.info({ code: error.code, reason: error.reason }, 'client certificate not accepted');
      // Returning the reply tells Fastify the answer is sent and the route must not run.
      return sendHttpError(error, request, reply);
    }
    request.clientCertificate = accepted.certificate;
    request.clientCertificateUser = accepted.user as ClientCertificateUser;
    return undefined;
  };

  return Object.defineProperties(preHandler, {
    reloadRevocation: { value: reloadRevocation, enumerable: true },
    cacheSize: { get: () => cache?.size ?? 0, enumerable: true },
    close: { value: () => stopWatching(), enumerable: true },
  }) as ClientCertificatePreHandler;
}

/** `sha256Hex`: the cache key, already the SHA-256 of the leaf's DER; hashed once, shown as `AA:BB:...`. */
function describe(leaf: Certificate, path: Certificate[], sha256Hex: string): ClientCertificate {
  return Object.freeze({
    commonName: leaf.subject.commonName ?? null,
    issuer: leaf.issuer.commonName ?? null,
    serial: leaf.serialNumber,
    fingerprints: Object.freeze({ 'SHA-1': fingerprint(leaf, 'sha1'), 'SHA-256': toColonHex(fromHex(sha256Hex)) }),
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    certificate: leaf,
    path: Object.freeze(path),
  });
}

function sourceOptions(options: ClientCertificateOptions<unknown>): CertificateSourceOptions {
  const header = options.header === undefined ? DEFAULT_CERTIFICATE_HEADER : options.header;
  if (header !== false && (typeof header !== 'string' || !HEADER_NAME.test(header.toLowerCase()))) {
    throw new EcpOptionsError('client certificates: `header` must be a header name such as "x-client-cert", or false');
  }
  const headerFormat = options.headerFormat ?? 'auto';
  if (!(CERTIFICATE_HEADER_FORMATS as readonly string[]).includes(headerFormat)) {
    throw new EcpOptionsError(`client certificates: \`headerFormat\` must be one of ${CERTIFICATE_HEADER_FORMATS.join(', ')}`);
  }
  const trusted = options.trustedProxies ?? [];
  const trustedProxies = Array.isArray(trusted)
    ? optionStep('trustedProxies', () => parseTrustedProxies(trusted as readonly string[]))
    : (trusted as TrustedProxies);
  if (typeof trustedProxies.has !== 'function') throw new EcpOptionsError('client certificates: `trustedProxies` must be a list of IPs/CIDRs');
  return { header: header === false ? null : header.toLowerCase(), headerFormat, trustedProxies, peerVerdicts: new WeakMap() };
}

type UserMapper = (certificate: ClientCertificate) => Promise<unknown> | unknown;

function userMapping<User>(options: ClientCertificateOptions<User>): UserMapper | undefined {
  const { mapUser, lookupUser } = options;
  if (lookupUser !== undefined && typeof lookupUser !== 'function') throw new EcpOptionsError('client certificates: `lookupUser` must be a function');
  if (mapUser === undefined) {
    if (lookupUser !== undefined) throw new EcpOptionsError('client certificates: `lookupUser` needs `mapUser` ("cn", "san-email" or "fingerprint")');
    return undefined;
  }
  if (typeof mapUser === 'function') return mapUser;
  const keyOf: Record<ClientCertificateMapping, (certificate: ClientCertificate) => string | null> = {
    cn: (certificate) => certificate.commonName,
    'san-email': (certificate) => {
      for (const name of certificate.certificate.subjectAltName ?? []) if (name.type === 'rfc822Name') return name.value;
      return null;
    },
    fingerprint: (certificate) => certificate.fingerprints['SHA-256'].replace(/:/g, '').toLowerCase(),
  };
  const pick = keyOf[mapUser];
  if (pick === undefined) throw new EcpOptionsError('client certificates: `mapUser` must be "cn", "san-email", "fingerprint" or a function');
  if (mapUser === 'fingerprint' && lookupUser === undefined) {
    throw new EcpOptionsError('client certificates: `mapUser: "fingerprint"` needs `lookupUser` (fingerprint -> user)');
  }
  return (certificate) => {
    const key = pick(certificate);
    if (key === null || key.length === 0) return null;
    return lookupUser === undefined ? key : lookupUser(key, certificate);
  };
}

function cacheOf(options: AcceptedCertificateCacheOptions | undefined): AcceptedCertificateCache<Accepted> {
  return optionStep('cache', () => new AcceptedCertificateCache<Accepted>(options));
}

/** Runs a configuration step; its failure becomes an EcpOptionsError naming the step. */
function optionStep<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof EcpOptionsError) throw error;
    const detail = error instanceof EcpError || error instanceof TypeError || error instanceof Error ? error.message : String(error);
    throw new EcpOptionsError(`client certificates: ${what}: ${detail}`);
  }
}

/**
 * `fastify.ecp`: what an application calls from its own routes (register, login, logout,
 * "who is this"), built once per plugin registration.
 */
import { createHash } from 'node:crypto';
import { certificateToPem, type Certificate } from '@ecp/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { clientIp, type TrustedProxies } from './client-ip.js';
import { createClientCertificatePreHandler, type ClientCertificateOptions, type ClientCertificatePreHandler } from './client-cert/index.js';
import type { ClientCertificateUser } from './client-cert/types.js';
import type { Credentials, Enrolment } from './enrolment.js';
import { databaseUnavailable, EcpHttpError, unauthenticated } from './errors.js';
import { authenticate, readLoginInput } from './login.js';
import type { EcpUser, EcpUserAdapter } from './options.js';
import type { PublicKeyCache } from './public-key-cache.js';
import { isSessionMadeThisRequest, loggedInUser } from './session.js';
import { CertificateStore, isDatabaseUnavailable, type EcpTables, type NonceStore } from './storage/index.js';

/** A preHandler: usable as a route's `preHandler` and as an `@fastify/auth` strategy. */
export type EcpPreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface SaveOptions {
  /** Write through this Kysely instance instead of the plugin's (e.g. the app's transaction). */
  db?: Kysely<EcpTables>;
}

export interface EnrolResult {
  certificate: Certificate;
  certificatePem: string;
}

export interface EcpDecorator {
  /** Where the routes are mounted. */
  readonly prefix: string;
  readonly nonces: NonceStore;
  readonly certificates: CertificateStore;
  readonly trustedProxies: TrustedProxies;
  /** True when certificates are issued by the configured CA (CA mode). */
  readonly caMode: boolean;

  /**
   * preHandler of the application's login route. Body: `username`, `password`, `nonce_id`,
   * `signature` (hex DER). Failure: throws the uniform 401 `ECP_AUTH_FAILED` (503
   * `ECP_DB_UNAVAILABLE` when the database is down). Success: regenerates the session,
   * stores the user in it, and sets `request.ecpUser`.
   */
  readonly loginPreHandler: EcpPreHandler;
  /** preHandler that requires a logged-in session and sets `request.ecpUser`; else 401 `ECP_UNAUTHENTICATED`. */
  readonly requireUser: EcpPreHandler;

  /**
   * A preHandler that authenticates requests by their TLS client certificate (see
   * `createClientCertificatePreHandler`), with `trustedProxies` defaulting to the plugin's.
   * Its revocation-file watchers stop when the application closes.
   */
  clientCertificate<User = ClientCertificateUser>(options: ClientCertificateOptions<User>): ClientCertificatePreHandler;

  /** The client IP, believing `X-Forwarded-For` from trusted proxies only. */
  clientIp(request: FastifyRequest): string;
  /** The logged-in user of the request's session, or null. */
  sessionUser(request: FastifyRequest): EcpUser | null;
  /** Ends the session (its row is deleted). */
  logout(request: FastifyRequest): Promise<void>;

  /**
   * Server-side enrolment in one call: makes the key pair and certificate, stores the
   * certificate for `user`, and offers the key files for one-time download in the session.
   * Split into `createCredentials` / `saveCertificate` / `offerDownloads` to put the
   * database write into the application's own transaction.
   */
  enrol(request: FastifyRequest, user: EcpUser, keyPassphrase: string): Promise<EnrolResult>;
  /** Client-side enrolment in one call: `issueFromCsr` then `saveCertificate`. */
  enrolFromCsr(user: EcpUser, csrPem: string, options?: SaveOptions): Promise<EnrolResult>;

  /** The key pair, certificate and files for `username` (CPU only, no database). */
  createCredentials(username: string, keyPassphrase: string): Promise<Credentials>;
  /** Checks a CSR and issues its certificate (CPU only); 400 `EcpHttpError` when the CSR is unacceptable. */
  issueFromCsr(username: string, csrPem: string): Certificate;
  /** Makes `certificate` the user's login certificate, replacing any previous one. */
  saveCertificate(userId: string, certificate: Certificate, options?: SaveOptions): Promise<void>;
  /**
   * Puts the key files in the session for `GET <prefix>/keys` (one download each), in a new
   * session unless this request made its own (a session the client brought is replaced).
   */
  offerDownloads(request: FastifyRequest, user: EcpUser, credentials: Credentials): Promise<void>;
}

export interface DecoratorDependencies {
  prefix: string;
  db: Kysely<EcpTables>;
  users: EcpUserAdapter;
  nonces: NonceStore;
  certificates: CertificateStore;
  publicKeys: PublicKeyCache;
  trustedProxies: TrustedProxies;
  enrolment: Enrolment;
  /** Runs `stop` when the application closes. */
  onClose(stop: () => void): void;
}

export function createDecorator(deps: DecoratorDependencies): EcpDecorator {
  const { enrolment, certificates } = deps;

  const saveCertificate = async (userId: string, certificate: Certificate, options: SaveOptions = {}): Promise<void> => {
    const store = options.db === undefined ? certificates : new CertificateStore(options.db);
    await store.save(userId, certificate.der, {
      sha256: createHash('sha256').update(certificate.der).digest('hex'),
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    });
  };

  const offerDownloads = async (request: FastifyRequest, user: EcpUser, credentials: Credentials): Promise<void> => {
    requireSession(request);
    // The key files (and the right to replace the user's certificate) must not land in a
    // session whose id someone else may know: a brought session is replaced, as at login.
    if (!isSessionMadeThisRequest(request)) await request.session.regenerate();
    request.session.ecpEnrolment = {
      user: { id: user.id, username: user.username },
      downloads: {
        private_key: credentials.privateKeyPem,
        certificate: credentials.certificatePem,
        pkcs12: Buffer.from(credentials.pkcs12).toString('base64'),
      },
    };
  };

  const loginPreHandler: EcpPreHandler = async (request) => {
    requireSession(request);
    let user: EcpUser;
    try {
      user = await authenticate(readLoginInput(request.body), deps);
    } catch (error) {
      throw isDatabaseUnavailable(error) ? databaseUnavailable(error) : error;
    }
    // A new session id on every login: a session fixed before login is worth nothing after.
    // One made by this very request already has an id nobody has seen: it is kept, which
    // saves the DELETE and INSERT of a regeneration (the session is written once, on send).
    if (!isSessionMadeThisRequest(request)) await request.session.regenerate();
    request.session.ecpUser = user;
    request.ecpUser = user;
  };

  const requireUser: EcpPreHandler = async (request) => {
    const user = loggedInUser(request);
    if (user === null) throw unauthenticated();
    request.ecpUser = user;
  };

  return {
    prefix: deps.prefix,
    nonces: deps.nonces,
    certificates,
    trustedProxies: deps.trustedProxies,
    caMode: enrolment.issuesFromCa,
    loginPreHandler,
    requireUser,
    clientCertificate(options) {
      const preHandler = createClientCertificatePreHandler({ trustedProxies: deps.trustedProxies, ...options });
      deps.onClose(() => preHandler.close());
      return preHandler;
    },
    clientIp: (request) => clientIp(request, deps.trustedProxies),
    sessionUser: loggedInUser,
    logout: async (request) => {
      if (request.session?.sessionId !== undefined) await request.session.destroy();
      request.ecpUser = null;
    },
    async enrol(request, user, keyPassphrase) {
      const credentials = await enrolment.createCredentials(user.username, keyPassphrase);
      await saveCertificate(user.id, credentials.certificate);
      await offerDownloads(request, user, credentials);
      return { certificate: credentials.certificate, certificatePem: credentials.certificatePem };
    },
    async enrolFromCsr(user, csrPem, options) {
      const certificate = enrolment.issueFromCsr(user.username, csrPem);
      await saveCertificate(user.id, certificate, options);
      return { certificate, certificatePem: certificateToPem(certificate) };
    },
    createCredentials: (username, keyPassphrase) => enrolment.createCredentials(username, keyPassphrase),
    issueFromCsr: (username, csrPem) => enrolment.issueFromCsr(username, csrPem),
    saveCertificate,
    offerDownloads,
  };
}

function requireSession(request: FastifyRequest): void {
  // Only reachable when the route is outside the session cookie's path; a setup mistake.
  if (request.session === null || request.session === undefined || typeof request.session.regenerate !== 'function') {
    throw new EcpHttpError(500, 'ECP_INTERNAL', 'no session on this route (is it under the session cookie path?)');
  }
}

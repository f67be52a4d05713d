/**
 * The example application (contract §4): the @ecp/fastify plugin at /ecp, plus register,
 * login, "who am I" and logout, and the HTML pages. `main.ts` runs it; tests build it with
 * their own database and a cheap password hasher.
 */
import { certificateToPem } from '@ecp/core';
import {
  ecpFastify,
  EcpHttpError,
  sendHttpError,
  toHttpError,
  trustProxyFunction,
  type Credentials,
  type EcpIssuerOptions,
  type EcpUser,
} from '@ecp/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppDatabase } from './database.js';
import { registerMtlsRoutes, type MtlsConfig } from './mtls.js';
import { pages } from './pages/plugin.js';
import { createScryptHasher, type PasswordHasher } from './passwords.js';
import { readRegistration } from './registration.js';
import { UserStore, type AppTables } from './users.js';

export interface BuildAppOptions {
  /** A migrated database (`openDatabase` or `migrateAppDatabase`). */
  db: AppDatabase;
  /** At least 32 characters. */
  sessionSecret: string;
  /** IPs/CIDRs whose X-Forwarded-For (and X-Forwarded-Proto) are believed. */
  trustedProxies?: string[];
  /**
   * Password hashing. Default: scrypt with OWASP's cost. Tests and benchmarks only pass a
   * cheaper one (so that hashing does not dominate what they measure).
   */
  passwordHasher?: PasswordHasher;
  /** PBKDF2 iterations of the key files (default 600 000); lowered only by tests. */
  kdfIterations?: number;
  /** CA mode: users' certificates are issued by this CA (`loadIssuer` in ca-mode.ts). */
  issuer?: EcpIssuerOptions;
  /** `GET /mtls/whoami` (`readMtlsConfig` in mtls.ts); off without a CA to trust. */
  mtls?: MtlsConfig;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const trustedProxies = options.trustedProxies ?? [];
  const app = Fastify({
    logger: options.logger ?? false,
    // A function over the same list as the plugin's, never `true`: request.protocol (and so
    // the session cookie's Secure flag) believes X-Forwarded-Proto from those proxies only.
    trustProxy: trustProxyFunction(trustedProxies),
  });
  const hasher = options.passwordHasher ?? createScryptHasher();
  const users = new UserStore(options.db.withTables<AppTables>(), hasher);

  // Every error of the app is `{"error", "code"}`, like the plugin's.
  app.setErrorHandler((error, request, reply) => sendHttpError(toHttpError(error), request, reply));
  app.setNotFoundHandler((request, reply) => sendHttpError(new EcpHttpError(404, 'ECP_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request, reply));

  await app.register(ecpFastify, {
    db: options.db,
    users,
    prefix: '/ecp',
    trustedProxies,
    session: { secret: options.sessionSecret },
    ...(options.kdfIterations === undefined ? {} : { kdfIterations: options.kdfIterations }),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
  });

  registerMtlsRoutes(app, {
    config: options.mtls ?? { clientCaFile: undefined, crlFiles: [], denylistFile: undefined },
    findUser: (username) => users.findByUsername(username),
    ...(options.issuer === undefined ? {} : { issuerCertificate: options.issuer.certificate }),
  });

  await app.register(pages);

  app.post('/register', async (request, reply) => {
    const input = readRegistration(request.body);
    // Cheap early answer; the unique index below is what actually decides.
    if ((await users.findByUsername(input.username)) !== null) throw usernameTaken();
    const passwordHash = await hasher.hash(input.password);

    if (input.kind === 'csr') {
      // The CSR is checked and certified before anything is written.
      const certificate = app.ecp.issueFromCsr(input.username, input.csr);
      const user = await createUser(options.db, input.username, passwordHash, (trx, created) => app.ecp.saveCertificate(created.id, certificate, { db: trx }));
      return reply.code(201).send({ username: user.username, certificate: certificateToPem(certificate) });
    }

    const credentials: Credentials = await app.ecp.createCredentials(input.username, input.keyPassword);
    const user = await createUser(options.db, input.username, passwordHash, (trx, created) => app.ecp.saveCertificate(created.id, credentials.certificate, { db: trx }));
    // Only once the user and certificate are committed do the key files go into the session.
    await app.ecp.offerDownloads(request, user, credentials);
    return reply.code(201).send({ username: user.username });
  });

  app.post('/login', { preHandler: app.ecp.loginPreHandler }, async (request) => ({ username: request.ecpUser?.username }));

  app.get('/me', { preHandler: app.ecp.requireUser }, async (request) => ({ username: request.ecpUser?.username }));

  app.post('/logout', async (request, reply) => {
    await app.ecp.logout(request);
    return reply.code(204).send();
  });

  return app;
}

const usernameTaken = (): EcpHttpError => new EcpHttpError(409, 'ECP_USERNAME_TAKEN', 'this username is taken');

/** The user row and its certificate, in one transaction: both or neither. */
async function createUser(
  db: AppDatabase,
  username: string,
  passwordHash: string,
  alsoWrite: (trx: AppDatabase, user: EcpUser) => Promise<void>,
): Promise<EcpUser> {
  // Opened on the ecp view; the app's view of the same transaction is trx.withTables().
  return db.transaction().execute(async (trx) => {
    const user = await UserStore.create(trx.withTables<AppTables>(), username, passwordHash);
    if (user === null) throw usernameTaken();
    await alsoWrite(trx, user);
    return user;
  });
}

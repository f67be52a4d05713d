/**
 * A small application around the plugin, as the plugin's users would write one: register
 * (server-side or CSR), login with the preHandler, a protected route, logout.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ecpErrorHandler, ecpFastify, type EcpPluginOptions, type EcpTables } from '../../src/index.js';
import { TestUsers } from './users.js';

export const SESSION_SECRET = 'a test secret that is at least 32 characters long';
/** PBKDF2 iterations of test key files: cheap, so each enrolment takes milliseconds (tests only). */
export const TEST_KDF_ITERATIONS = 2_000;

export interface TestServerOptions {
  db: Kysely<EcpTables>;
  users?: TestUsers;
  plugin?: Partial<EcpPluginOptions>;
}

export interface TestServer {
  app: FastifyInstance;
  users: TestUsers;
}

interface Credentials {
  username?: string;
  password?: string;
  key_password?: string;
  csr?: string;
}

export async function buildTestServer(options: TestServerOptions): Promise<TestServer> {
  const users = options.users ?? new TestUsers();
  const app = Fastify({ logger: false });
  app.setErrorHandler(ecpErrorHandler);
  await app.register(ecpFastify, {
    db: options.db,
    users,
    session: { secret: SESSION_SECRET },
    kdfIterations: TEST_KDF_ITERATIONS,
    // Every inject() comes from 127.0.0.1: the default 10 challenges a minute would throttle
    // the suite itself. The rate-limit tests pass `rateLimit: undefined` to get the default.
    rateLimit: { max: 100_000 },
    ...options.plugin,
  });

  app.post('/register', async (request, reply) => {
    const body = request.body as Credentials;
    const user = await users.add(String(body.username), String(body.password));
    await app.ecp.enrol(request, user, String(body.key_password));
    return reply.code(201).send({ username: user.username });
  });
  app.post('/register-csr', async (request, reply) => {
    const body = request.body as Credentials;
    const user = await users.add(String(body.username), String(body.password));
    const { certificatePem } = await app.ecp.enrolFromCsr(user, String(body.csr));
    return reply.code(201).send({ username: user.username, certificate: certificatePem });
  });
  app.post('/login', { preHandler: app.ecp.loginPreHandler }, async (request) => ({ username: request.ecpUser?.username }));
  app.get('/me', { preHandler: app.ecp.requireUser }, async (request) => ({ username: request.ecpUser?.username }));
  app.post('/logout', async (request, reply) => {
    await app.ecp.logout(request);
    return reply.code(204).send();
  });
  await app.ready();
  return { app, users };
}

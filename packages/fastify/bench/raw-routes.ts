/**
 * Baselines of the login bench (login.bench.ts): the least an application could do for a
 * challenge and for a login, as raw SQL text on a bare Fastify instance (no plugins, no
 * hooks), through the plugin's own pool.
 *
 * "The same pool": the SQL goes through `db.executeQuery(CompiledQuery.raw(…))`, i.e. the
 * `pg.Pool` that `createPostgresKysely` made and the plugin uses, with no query building.
 * The pool is not reachable any other way (createPostgresKysely keeps it private).
 */
import { randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { CompiledQuery, type Kysely } from 'kysely';
import type { EcpTables } from '../src/index.js';
import type { BenchPasswordHasher } from './login-fixtures.js';

const INSERT_NONCE = 'insert into ecp_nonces (id, nonce, created_at, expires_at) values ($1, $2, $3, $4)';
const SELECT_USER = 'select id, username, password_hash from app_users where username = $1';
const CONSUME_NONCE = 'update ecp_nonces set consumed_at = $1 where id = $2 and consumed_at is null returning nonce, expires_at';
const SELECT_CERTIFICATE = 'select der, sha256, not_before, not_after from ecp_certificates where user_id = $1';
const INSERT_SESSION = 'insert into ecp_sessions (sid, data, expires_at) values ($1, cast($2 as jsonb), $3)';

const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

export interface RawRoutesOptions {
  db: Kysely<EcpTables>;
  hasher: BenchPasswordHasher;
  nonceLifetimeMs: number;
  /** Also store a session row and send its cookie after a successful login. */
  loginStoresSession: boolean;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
}
interface NonceRow {
  nonce: string;
  expires_at: Date;
}
interface CertificateRow {
  der: Buffer;
  sha256: string;
  not_before: Date;
  not_after: Date;
}

/** `GET /challenge` and `POST /login` on a bare Fastify instance (not listening yet). */
export function buildRawApp(options: RawRoutesOptions): FastifyInstance {
  const { db, hasher } = options;
  const run = async <Row>(text: string, parameters: unknown[]): Promise<Row | undefined> =>
    (await db.executeQuery<Row>(CompiledQuery.raw(text, parameters))).rows[0];
  // Prepared keys by certificate hash, as any sensible hand-written login would keep them.
  const keys = new Map<string, KeyObject>();
  const app = Fastify({ logger: false });

  app.get('/challenge', async () => {
    const id = randomBytes(16).toString('base64url');
    const nonce = randomBytes(32).toString('hex');
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + options.nonceLifetimeMs);
    await run(INSERT_NONCE, [id, nonce, createdAt, expiresAt]);
    return { nonce, nonce_id: id, expires_at: expiresAt.toISOString() };
  });

  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { username, password, nonce_id: nonceId, signature } = body;
    if (typeof username !== 'string' || typeof password !== 'string' || typeof nonceId !== 'string' || typeof signature !== 'string') {
      return reply.code(400).send({ error: 'bad request' });
    }
    const now = new Date();
    const [user, nonce] = await Promise.all([run<UserRow>(SELECT_USER, [username]), run<NonceRow>(CONSUME_NONCE, [now, nonceId])]);
    if (user === undefined || nonce === undefined || nonce.expires_at <= now || !(await hasher.verify(user.password_hash, password))) {
      return reply.code(401).send({ error: 'invalid credentials' });
    }
    const certificate = await run<CertificateRow>(SELECT_CERTIFICATE, [user.id]);
    if (certificate === undefined || certificate.not_before > now || certificate.not_after < now) {
      return reply.code(401).send({ error: 'invalid credentials' });
    }
    let key = keys.get(certificate.sha256);
    if (key === undefined) {
      key = new X509Certificate(certificate.der).publicKey;
      keys.set(certificate.sha256, key);
    }
    if (!verify('sha256', Buffer.from(nonce.nonce, 'utf8'), key, Buffer.from(signature, 'hex'))) {
      return reply.code(401).send({ error: 'invalid credentials' });
    }
    if (options.loginStoresSession) {
      const sid = randomBytes(24).toString('base64url');
      const data = JSON.stringify({ cookie: { originalMaxAge: SESSION_MAX_AGE_MS, path: '/', httpOnly: true, sameSite: 'lax' }, ecpUser: { id: user.id, username: user.username } });
      await run(INSERT_SESSION, [sid, data, new Date(now.getTime() + SESSION_MAX_AGE_MS)]);
      reply.header('set-cookie', `ecp.sid=${sid}; Max-Age=${SESSION_MAX_AGE_MS / 1000}; Path=/; HttpOnly; SameSite=Lax`);
    }
    return { username: user.username };
  });

  return app;
}

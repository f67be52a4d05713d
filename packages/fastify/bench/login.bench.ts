/**
 * Challenge and login over loopback HTTP on real PostgreSQL (issue 3, point 11), each
 * against the least an application could do, in the same run and through the same pool:
 *
 * 1. `GET /ecp/challenge` through the plugin against a bare Fastify route doing one raw
 *    INSERT of a nonce row. Target >= 0.8x.
 * 2. `POST /login` of the example app (its route behind `loginPreHandler`) against a bare
 *    route doing what a login needs in raw SQL: user lookup and nonce consume
 *    (UPDATE…RETURNING, concurrently), the password check, the certificate select, a
 *    node:crypto verify with a prepared key, and one session row plus its cookie, since a
 *    login's product is a stored session. Target >= 0.7x. The same baseline without the
 *    session row (the three statements and the verify) is reported too, untargeted.
 *
 * Both sides of each comparison are HTTP servers in this process, loaded alternately with
 * 16 keep-alive connections, so HTTP parsing, the load client and the pool (pg's default
 * 10 connections) cost both the same and the ratio is what the plugin adds. Each login
 * uses a fresh nonce inserted and signed before the timed rounds; password hashing is a
 * bench-only salted SHA-256 on both sides (login-fixtures.ts).
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../../../examples/app/src/app.js';
import { migrateAppDatabase } from '../../../examples/app/src/database.js';
import { UserStore, type AppTables } from '../../../examples/app/src/users.js';
import type { BenchContext, BenchSuite, Comparison } from '../../../scripts/bench/harness.js';
import { compareHttp } from '../../../scripts/bench/harness.js';
import { createPostgresKysely, DEFAULT_NONCE_LIFETIME_MS, ecpFastify, type EcpTables } from '../src/index.js';
import { cheapBenchHasher, enrolBenchUsers, PresignedLogins, type BenchPasswordHasher, type BenchUser } from './login-fixtures.js';
import { buildRawApp } from './raw-routes.js';

const SESSION_SECRET = 'bench session secret, at least 32 characters long';
/** The bench sends every challenge from 127.0.0.1; the default (10 a minute) would answer 429. */
const CHALLENGE_RATE_LIMIT = 1_000_000_000;
const CONNECTIONS = 16;
const ROUNDS = 5;
const ROUND_MS = 1_000;
const USERS = 16;
/**
 * Logins made per side and comparison: more than any side can use. A login needs at least
 * three statements (MEASURED.md: ~4 500 UPDATE…RETURNING and ~7 200 PK SELECTs a second on
 * this machine, quiet), so no side exceeds 3 000/s; warm-up 300 ms, then the rounds.
 */
const LOGINS_PER_SIDE = Math.ceil(3_000 * (0.3 + (ROUNDS * ROUND_MS) / 1000));

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function expectOk(label: string, response: Response): Promise<void> {
  if (response.status !== 200) throw new Error(`login bench: ${label} answered ${response.status}: ${await response.text()}`);
}

async function challengeComparison(db: Kysely<EcpTables>, hasher: BenchPasswordHasher): Promise<Comparison> {
  const plugin = Fastify({ logger: false });
  await plugin.register(ecpFastify, {
    db,
    users: new UserStore(db.withTables<AppTables>(), hasher),
    session: { secret: SESSION_SECRET },
    rateLimit: { max: CHALLENGE_RATE_LIMIT, timeWindow: '1 minute' },
  });
  const raw = buildRawApp({ db, hasher, nonceLifetimeMs: DEFAULT_NONCE_LIFETIME_MS, loginStoresSession: false });
  try {
    const [pluginUrl, rawUrl] = [await listen(plugin), await listen(raw)];
    await expectOk('GET /ecp/challenge', await fetch(`${pluginUrl}/ecp/challenge`));
    await expectOk('raw challenge', await fetch(`${rawUrl}/challenge`));
    return await compareHttp(
      'GET /ecp/challenge vs raw nonce INSERT (loopback HTTP, PostgreSQL)',
      { label: 'plugin route', url: `${pluginUrl}/ecp/challenge`, connections: CONNECTIONS, ms: ROUND_MS },
      { label: 'bare route, raw INSERT', url: `${rawUrl}/challenge`, connections: CONNECTIONS, ms: ROUND_MS },
      {
        rounds: ROUNDS,
        target: 0.8,
        note: `both over HTTP, ${CONNECTIONS} connections, one pg pool (10); plugin with its rate limiter on (max raised to ${CHALLENGE_RATE_LIMIT} a minute) and sessions registered`,
      },
    );
  } finally {
    await Promise.all([plugin.close(), raw.close()]);
  }
}

/** The price of one limit across instances: the challenge route counting in the database vs in memory. */
async function sharedRateLimitComparison(db: Kysely<EcpTables>, hasher: BenchPasswordHasher): Promise<Comparison> {
  const build = async (store: 'memory' | 'database'): Promise<FastifyInstance> => {
    const app = Fastify({ logger: false });
    await app.register(ecpFastify, {
      db,
      users: new UserStore(db.withTables<AppTables>(), hasher),
      session: { secret: SESSION_SECRET },
      rateLimit: { max: CHALLENGE_RATE_LIMIT, timeWindow: '1 minute', store },
    });
    return app;
  };
  const [shared, local] = [await build('database'), await build('memory')];
  try {
    const [sharedUrl, localUrl] = [await listen(shared), await listen(local)];
    await expectOk('GET /ecp/challenge (database store)', await fetch(`${sharedUrl}/ecp/challenge`));
    await expectOk('GET /ecp/challenge (memory store)', await fetch(`${localUrl}/ecp/challenge`));
    return await compareHttp(
      'GET /ecp/challenge, rateLimit.store "database" vs "memory" (loopback HTTP, PostgreSQL)',
      { label: 'database store', url: `${sharedUrl}/ecp/challenge`, connections: CONNECTIONS, ms: ROUND_MS },
      { label: 'memory store', url: `${localUrl}/ecp/challenge`, connections: CONNECTIONS, ms: ROUND_MS },
      {
        rounds: ROUNDS,
        note: `the same plugin route; the database store adds one upsert per challenge (every request from one IP, so one hot row); ${CONNECTIONS} connections, one pg pool (10)`,
      },
    );
  } finally {
    await Promise.all([shared.close(), local.close()]);
  }
}

async function loginComparison(
  db: Kysely<EcpTables>,
  hasher: BenchPasswordHasher,
  users: readonly BenchUser[],
  appUrl: string,
  withSession: boolean,
): Promise<Comparison> {
  const raw = buildRawApp({ db, hasher, nonceLifetimeMs: DEFAULT_NONCE_LIFETIME_MS, loginStoresSession: withSession });
  try {
    const rawUrl = await listen(raw);
    const [subject, baseline] = [
      await PresignedLogins.create(db, users, LOGINS_PER_SIDE + 1, DEFAULT_NONCE_LIFETIME_MS),
      await PresignedLogins.create(db, users, LOGINS_PER_SIDE + 1, DEFAULT_NONCE_LIFETIME_MS),
    ];
    const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const probe = await post(`${appUrl}/login`, subject.next());
    await expectOk('POST /login', probe);
    if (!probe.headers.get('set-cookie')?.startsWith('ecp.sid=')) throw new Error('login bench: POST /login set no session cookie');
    await expectOk('raw login', await post(`${rawUrl}/login`, baseline.next()));

    const headers = { 'content-type': 'application/json' };
    const what = withSession ? 'user + nonce + certificate SQL, verify, session INSERT' : 'user + nonce + certificate SQL, verify';
    try {
      return await compareHttp(
        `POST /login vs raw login (${withSession ? 'with' : 'without'} the session row; loopback HTTP, PostgreSQL)`,
        { label: 'example app, loginPreHandler', url: `${appUrl}/login`, method: 'POST', headers, body: subject.next, connections: CONNECTIONS, ms: ROUND_MS },
        { label: `bare route, ${what}`, url: `${rawUrl}/login`, method: 'POST', headers, body: baseline.next, connections: CONNECTIONS, ms: ROUND_MS },
        {
          rounds: ROUNDS,
          ...(withSession ? { target: 0.7 } : {}),
          note: `fresh nonce per login, signed in advance; bench-only SHA-256 password hasher on both sides; ${USERS} users; both over HTTP, ${CONNECTIONS} connections, one pg pool (10)${withSession ? '' : '; the baseline stores no session, so this charges the session to the plugin'}`,
        },
      );
    } catch (error) {
      if (subject.exhausted || baseline.exhausted) throw new Error(`login bench: more than ${LOGINS_PER_SIDE} logins a side; raise LOGINS_PER_SIDE`, { cause: error });
      throw error;
    }
  } finally {
    await raw.close();
  }
}

const suite: BenchSuite = {
  name: 'fastify: challenge and login',
  async run(report, context: BenchContext) {
    const db = createPostgresKysely(await context.postgresDatabase());
    try {
      await migrateAppDatabase(db);
      const hasher = cheapBenchHasher();
      report.comparisons.push(await challengeComparison(db, hasher));
      report.comparisons.push(await sharedRateLimitComparison(db, hasher));

      const app = await buildApp({ db, sessionSecret: SESSION_SECRET, passwordHasher: hasher });
      try {
        const users = await enrolBenchUsers(app.ecp, USERS, async (username, password) => {
          const created = await UserStore.create(db.withTables<AppTables>(), username, await hasher.hash(password));
          if (created === null) throw new Error(`login bench: user ${username} exists`);
          return created.id;
        });
        const appUrl = await listen(app);
        report.comparisons.push(await loginComparison(db, hasher, users, appUrl, true));
        report.comparisons.push(await loginComparison(db, hasher, users, appUrl, false));
      } finally {
        await app.close();
      }
    } finally {
      await db.destroy();
    }
  },
};

export default suite;

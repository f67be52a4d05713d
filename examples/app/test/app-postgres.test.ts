/** The example's routes on PostgreSQL, and registration atomicity when the database goes away. */
import { createTestDatabase } from '@ecp/testkit';
import { createPostgresKysely } from '@ecp/fastify';
import { sql } from 'kysely';
// inject('databaseUrl') is typed by the global setup's ProvidedContext augmentation.
import type {} from '@ecp/testkit/postgres-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../packages/fastify/test/helpers/tcp-proxy.js';
import { migrateAppDatabase } from '../src/database.js';
import { describeAppSuite } from './app-suite.js';
import { Browser, buildTestApp, postgresAppDb, uniqueUser } from './helpers/app.js';
import type { FastifyInstance } from 'fastify';

const clusterUrl = inject('databaseUrl');

describeAppSuite('PostgreSQL', () => postgresAppDb(clusterUrl));

describe('registration when the database goes away mid-request', () => {
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let db: ReturnType<typeof createPostgresKysely>;
  let app: FastifyInstance;

  beforeAll(async () => {
    const database = await createTestDatabase(clusterUrl, 'ecp_example_outage');
    drop = database.drop;
    proxy = await startTcpProxy(database.url);
    db = createPostgresKysely(proxy.url, { max: 4, connectionTimeoutMillis: 2_000 });
    await migrateAppDatabase(db);
    app = await buildTestApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await proxy?.close();
    await drop?.();
  });

  const countUsers = async (username: string): Promise<number> => {
    const row = await sql<{ n: number }>`select count(*)::int as n from app_users where username = ${username}`.execute(db);
    return row.rows[0]?.n ?? -1;
  };

  for (const flow of ['key_password', 'csr'] as const) {
    it(`writes neither the user nor the certificate when the outage hits between them (${flow})`, async () => {
      const username = uniqueUser(`outage-${flow}`);
      const { createCsr } = await import('@ecp/core');
      const { generateKeyPairSync } = await import('node:crypto');
      const body =
        flow === 'csr'
          ? { username, password: 'pw', csr: createCsr({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, commonName: username }) }
          : { username, password: 'pw', key_password: 'kp' };
      // The user row is inserted (inside the transaction); the certificate's insert never arrives.
      proxy.cutOn('insert into "ecp_certificates"');
      const browser = new Browser(app);
      let response;
      try {
        response = await browser.post('/register', body);
      } finally {
        proxy.restore();
      }
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json()).toEqual({ error: 'the database is unavailable, try again later', code: 'ECP_DB_UNAVAILABLE' });
      // The transaction died with its connection: no user, and no key files were offered.
      expect(await countUsers(username)).toBe(0);
      expect((await browser.get('/ecp/keys')).statusCode).toBe(401);
      expect((await new Browser(app).post('/register', body)).statusCode).toBe(201);
      expect(await countUsers(username)).toBe(1);
    });
  }
});

/** Builds the example app for tests: an injected database and a cheap password hasher (tests only). */
import { createTestDatabase } from '@ecp/testkit';
import { createPgliteKysely, createPostgresKysely, type EcpTables } from '@ecp/fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../../src/app.js';
import { migrateAppDatabase } from '../../src/database.js';
import { createScryptHasher } from '../../src/passwords.js';

export const SESSION_SECRET = 'example-app test secret, 32+ characters long';
/** scrypt N=2^10 instead of 2^17: for tests only, so that each login does not cost 0.3 s. */
export const cheapHasher = createScryptHasher({ N: 1024, r: 8, p: 1 });

export interface AppDb {
  db: Kysely<EcpTables>;
  url: string | null;
  close(): Promise<void>;
}

export async function postgresAppDb(clusterUrl: string): Promise<AppDb> {
  const database = await createTestDatabase(clusterUrl, 'ecp_example');
  const db = createPostgresKysely(database.url, { max: 20 });
  await migrateAppDatabase(db);
  return {
    db,
    url: database.url,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

export async function pgliteAppDb(): Promise<AppDb> {
  const db = await createPgliteKysely(undefined);
  await migrateAppDatabase(db);
  return { db, url: null, close: () => db.destroy() };
}

export const buildTestApp = (db: Kysely<EcpTables>, trustedProxies: string[] = []): Promise<FastifyInstance> =>
  buildApp({ db, sessionSecret: SESSION_SECRET, passwordHasher: cheapHasher, kdfIterations: 2_000, trustedProxies });

/** One browser: a cookie jar over inject(). */
export class Browser {
  cookie: string | undefined;
  constructor(readonly app: FastifyInstance) {}

  async send(method: 'GET' | 'POST', url: string, body?: { json?: unknown; form?: Record<string, string> }, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const all: Record<string, string> = { ...headers };
    let payload: string | undefined;
    if (body?.json !== undefined) {
      all['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.form !== undefined) {
      all['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    }
    if (this.cookie !== undefined) all.cookie = `ecp.sid=${this.cookie}`;
    const response = await this.app.inject({ method, url, headers: all, ...(payload === undefined ? {} : { payload }) });
    const set = response.cookies.find((c) => c.name === 'ecp.sid');
    if (set !== undefined) this.cookie = set.value;
    return response;
  }

  get = (url: string) => this.send('GET', url);
  post = (url: string, json?: unknown) => this.send('POST', url, json === undefined ? undefined : { json });
}

let counter = 0;
export const uniqueUser = (prefix = 'user'): string => `${prefix}${process.pid}-${(counter += 1)}`;

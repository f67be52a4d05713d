/**
 * The plugin suite on a real PostgreSQL server, plus what only a server can show: two
 * application instances contending for one nonce, and the database going away mid-request.
 */
import { generateKeyPairSync } from 'node:crypto';
import { certificateToPem, createSelfSignedCertificate } from '@ecp/core';
import type {} from '@ecp/testkit/postgres-global-setup'; // types inject('databaseUrl') for tsc
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresKysely, type EcpTables } from '../src/index.js';
import { enrolUser, InjectClient, loginBody, signNonce, uniqueName, type Challenge, type EnrolledUser } from './helpers/client.js';
import { postgresDb, type TestDb } from './helpers/databases.js';
import { http, listen } from './helpers/http.js';
import { buildTestServer, type TestServer } from './helpers/server.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { TestUsers } from './helpers/users.js';
import { describePluginSuite } from './plugin-suite.js';
import type { Kysely } from 'kysely';

const clusterUrl = inject('databaseUrl');
const AUTH_FAILED = '{"error":"invalid credentials","code":"ECP_AUTH_FAILED"}';

describePluginSuite('PostgreSQL', postgresDb(clusterUrl));

describe('two application instances on one PostgreSQL database', () => {
  let database: TestDb;
  let first: TestServer;
  let second: TestServer;
  let ports: [number, number];

  beforeAll(async () => {
    database = await postgresDb(clusterUrl)();
    const users = new TestUsers(); // the application's user table, shared like the database
    first = await buildTestServer({ db: database.db, users });
    second = await buildTestServer({ db: database.open(), users });
    ports = [await listen(first.app), await listen(second.app)];
  });
  afterAll(async () => {
    await first?.app.close();
    await second?.app.close();
    await database?.close();
  });

  it('lets exactly one of 50 concurrent logins with one signed nonce through', async () => {
    const user = await enrolUser(first.app, uniqueName('race'));
    // Warm both instances' pools so the 50 attempts overlap instead of queuing on connects.
    await Promise.all(Array.from({ length: 20 }, (_, i) => http(ports[i % 2]!, '/ecp/challenge')));
    for (let round = 0; round < 3; round++) {
      const challenge = JSON.parse((await http(ports[round % 2]!, '/ecp/challenge')).body) as Challenge;
      const body = { username: user.username, password: user.password, nonce_id: challenge.nonce_id, signature: signNonce(user.key, challenge.nonce) };
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => http(ports[i % 2]!, '/login', { method: 'POST', json: body })));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      const failures = responses.filter((r) => r.status !== 200);
      expect(failures).toHaveLength(49);
      for (const failure of failures) {
        expect(failure.status).toBe(401);
        expect(failure.body).toBe(AUTH_FAILED);
      }
    }
  });

  it('shares sessions: a login on one instance is known to the other', async () => {
    const user = await enrolUser(first.app, uniqueName('shared'));
    const client = new InjectClient(first.app);
    expect((await client.post('/login', await loginBody(client, user))).statusCode).toBe(200);
    const elsewhere = new InjectClient(second.app);
    elsewhere.cookie = client.cookie;
    expect((await elsewhere.get('/me')).json()).toEqual({ username: user.username });
  });

  it('shares nonces: a challenge from one instance is answered on the other, once', async () => {
    const user = await enrolUser(first.app, uniqueName('cross'));
    const body = await loginBody(new InjectClient(first.app), user);
    expect((await new InjectClient(second.app).post('/login', body)).statusCode).toBe(200);
    expect((await new InjectClient(first.app).post('/login', body)).statusCode).toBe(401);
  });
});

describe('the database going away mid-request', () => {
  let database: TestDb;
  let proxy: TcpProxy;
  let db: Kysely<EcpTables>;
  let server: TestServer;
  let user: EnrolledUser;

  beforeAll(async () => {
    database = await postgresDb(clusterUrl)();
    proxy = await startTcpProxy(database.url!);
    db = createPostgresKysely(proxy.url, { max: 5, connectionTimeoutMillis: 2_000 });
    server = await buildTestServer({ db });
    user = await enrolUser(server.app, uniqueName('outage'));
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.destroy();
    await proxy?.close();
    await database?.close();
  });

  const restore = () => proxy.restore();

  it('answers 503 ECP_DB_UNAVAILABLE while the database is unreachable, and recovers', async () => {
    proxy.cut();
    try {
      const client = new InjectClient(server.app);
      const challenge = await client.get('/ecp/challenge');
      expect(challenge.statusCode).toBe(503);
      expect(challenge.json()).toEqual({ error: 'the database is unavailable, try again later', code: 'ECP_DB_UNAVAILABLE' });
      const login = await client.post('/login', { username: user.username, password: user.password, nonce_id: 'AAAAAAAAAAAAAAAAAAAAAA', signature: '00' });
      expect(login.statusCode).toBe(503);
      expect(login.json().code).toBe('ECP_DB_UNAVAILABLE');
    } finally {
      restore();
    }
    const client = new InjectClient(server.app);
    expect((await client.post('/login', await loginBody(client, user))).statusCode).toBe(200);
  });

  it('leaves the nonce unused when the outage hits the login before its consume', async () => {
    const client = new InjectClient(server.app);
    const body = await loginBody(client, user);
    proxy.cutOn('update "ecp_nonces"');
    try {
      const response = await client.post('/login', body);
      expect(response.statusCode).toBe(503);
      expect(proxy.isDown).toBe(true);
    } finally {
      restore();
    }
    // Nothing was written: the attempt never happened, so the nonce still works, once.
    expect((await client.post('/login', body)).statusCode).toBe(200);
    expect((await client.post('/login', body)).statusCode).toBe(401);
  });

  it('keeps the old certificate when the outage hits an upload', async () => {
    const client = new InjectClient(server.app);
    expect((await client.post('/login', await loginBody(client, user))).statusCode).toBe(200);
    const newKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pem = certificateToPem(createSelfSignedCertificate({ privateKey: newKey, commonName: user.username }));
    proxy.cutOn('insert into "ecp_certificates"');
    try {
      const response = await client.post('/ecp/certificate', { certificate: pem });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('ECP_DB_UNAVAILABLE');
    } finally {
      restore();
    }
    const fresh = new InjectClient(server.app);
    expect((await fresh.post('/login', await loginBody(fresh, user))).statusCode).toBe(200);
    expect((await fresh.post('/login', await loginBody(fresh, { ...user, key: newKey }))).statusCode).toBe(401);
  });
});

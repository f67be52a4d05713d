/**
 * The plugin's behaviour suite (contract §1 and §3), run on PostgreSQL and on PGlite by
 * `plugin-postgres.test.ts` and `plugin-pglite.test.ts`. Tests that need two application
 * instances contending on one database live in the PostgreSQL file only.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl, curlOk, opensslOk } from '@ecp/testkit';
import fastifyAuth from '@fastify/auth';
import fastifyRateLimit from '@fastify/rate-limit';
import type { SessionStore } from '@fastify/session';
import { createSelfSignedCertificate, certificateToPem, createCsr, parseCertificate, readPkcs12, type Certificate } from '@ecp/core';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecpErrorHandler, ecpFastify, KyselySessionStore } from '../src/index.js';
import { decryptKey, enrolUser, InjectClient, loginBody, uniqueName, type Challenge, type EnrolledUser } from './helpers/client.js';
import type { TestDb, TestDbFactory } from './helpers/databases.js';
import { http, listen } from './helpers/http.js';
import { multipartBody } from './helpers/multipart.js';
import { buildTestServer, SESSION_SECRET, TEST_KDF_ITERATIONS, type TestServer } from './helpers/server.js';
import { TestUsers } from './helpers/users.js';

const AUTH_FAILED = '{"error":"invalid credentials","code":"ECP_AUTH_FAILED"}';
const DAY = 86_400_000;

export function describePluginSuite(name: string, createDb: TestDbFactory): void {
  describe(`@ecp/fastify on ${name}`, () => {
    let database: TestDb;
    let server: TestServer;

    beforeAll(async () => {
      database = await createDb();
      server = await buildTestServer({ db: database.db });
    });
    afterAll(async () => {
      await server?.app.close();
      await database?.close();
    });

    /** A certificate for `user`'s key (or another key) with a chosen window or CN. */
    const certificateFor = (key: KeyObject, commonName: string, window: { notBefore?: Date; notAfter?: Date; days?: number } = {}): Certificate =>
      createSelfSignedCertificate({ privateKey: key, commonName, ...window });

    describe('GET /ecp/challenge', () => {
      it('issues a 64-hex nonce with an opaque id and its expiry, never cached', async () => {
        const before = Date.now();
        const response = await new InjectClient(server.app).get('/ecp/challenge');
        expect(response.statusCode).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        const body = response.json<Challenge>();
        expect(Object.keys(body).sort()).toEqual(['expires_at', 'nonce', 'nonce_id']);
        expect(body.nonce).toMatch(/^[0-9a-f]{64}$/);
        expect(typeof body.nonce_id).toBe('string');
        const expires = Date.parse(body.expires_at);
        expect(new Date(expires).toISOString()).toBe(body.expires_at);
        expect(expires).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1_000);
        expect(expires).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
        // No session is created for an anonymous challenge.
        expect(response.headers['set-cookie']).toBeUndefined();
      });

      it('gives every challenge a different nonce and id', async () => {
        const client = new InjectClient(server.app, '10.1.0.1');
        const bodies = await Promise.all(Array.from({ length: 5 }, async () => (await client.get('/ecp/challenge')).json<Challenge>()));
        expect(new Set(bodies.map((b) => b.nonce)).size).toBe(5);
        expect(new Set(bodies.map((b) => b.nonce_id)).size).toBe(5);
      });

      it('follows the nonceLifetime option', async () => {
        const custom = await buildTestServer({ db: database.db, plugin: { nonceLifetime: 60_000 } });
        try {
          const body = (await new InjectClient(custom.app).get('/ecp/challenge')).json<Challenge>();
          expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
          expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(55_000);
        } finally {
          await custom.app.close();
        }
      });

      it('answers the 11th challenge of a minute from one IP with 429 {error, code}', async () => {
        // rateLimit: undefined restores the plugin's default (10 a minute) over the test server's.
        const limited = await buildTestServer({ db: database.db, plugin: { trustedProxies: ['10.9.9.9'], rateLimit: undefined } });
        try {
          const client = new InjectClient(limited.app, '10.2.0.1');
          for (let i = 0; i < 10; i++) expect((await client.get('/ecp/challenge')).statusCode).toBe(200);
          const refused = await client.get('/ecp/challenge');
          expect(refused.statusCode).toBe(429);
          expect(refused.json()).toEqual({ error: expect.stringMatching(/too many challenges/), code: 'ECP_RATE_LIMITED' });
          expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
          // An untrusted client cannot reset its limit by claiming another address...
          const forged = await client.get('/ecp/challenge', { 'x-forwarded-for': '198.51.100.7' });
          expect(forged.statusCode).toBe(429);
          // ...while other clients are unaffected.
          expect((await new InjectClient(limited.app, '10.2.0.2').get('/ecp/challenge')).statusCode).toBe(200);
          // Through the trusted proxy, the limit is per forwarded client.
          const proxy = new InjectClient(limited.app, '10.9.9.9');
          expect((await proxy.get('/ecp/challenge', { 'x-forwarded-for': '10.2.0.1' })).statusCode).toBe(429);
          expect((await proxy.get('/ecp/challenge', { 'x-forwarded-for': '203.0.113.5' })).statusCode).toBe(200);
        } finally {
          await limited.app.close();
        }
      });

      it('honours the rateLimit option', async () => {
        const limited = await buildTestServer({ db: database.db, plugin: { rateLimit: { max: 2, timeWindow: 60_000 } } });
        try {
          const client = new InjectClient(limited.app, '10.3.0.1');
          expect((await client.get('/ecp/challenge')).statusCode).toBe(200);
          expect((await client.get('/ecp/challenge')).statusCode).toBe(200);
          expect((await client.get('/ecp/challenge')).statusCode).toBe(429);
        } finally {
          await limited.app.close();
        }
      });

      it('counts one limit across instances with rateLimit.store "database"', async () => {
        const plugin = { rateLimit: { max: 3, timeWindow: 60_000, store: 'database' as const } };
        const [a, b] = [await buildTestServer({ db: database.db, plugin }), await buildTestServer({ db: database.db, plugin })];
        try {
          const ip = `10.4.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
          const [clientA, clientB] = [new InjectClient(a.app, ip), new InjectClient(b.app, ip)];
          const statuses = [];
          for (const client of [clientA, clientB, clientA, clientB, clientA]) statuses.push((await client.get('/ecp/challenge')).statusCode);
          // In-memory counting would have allowed 3 per instance: all five.
          expect(statuses).toEqual([200, 200, 200, 429, 429]);
          const refused = await clientB.get('/ecp/challenge');
          expect(refused.json()).toMatchObject({ code: 'ECP_RATE_LIMITED' });
          expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
          // Another client still has its own window.
          expect((await new InjectClient(b.app, '10.5.0.1').get('/ecp/challenge')).statusCode).toBe(200);
        } finally {
          await a.app.close();
          await b.app.close();
        }
      });

      it('refuses rateLimit.store "database" when the app registered @fastify/rate-limit itself', async () => {
        const app = Fastify({ logger: false });
        await app.register(fastifyRateLimit, { global: false });
        await expect(
          app.register(ecpFastify, { db: database.db, users: new TestUsers(), session: { secret: SESSION_SECRET }, rateLimit: { store: 'database' } }).ready(),
        ).rejects.toThrow(/databaseRateLimitStore/);
        await app.close();
      });
    });

    describe('login (preHandler)', () => {
      let alice: EnrolledUser;
      beforeAll(async () => {
        alice = await enrolUser(server.app, uniqueName('alice'));
      });

      it('logs in with password and signed nonce, regenerating the session', async () => {
        const client = new InjectClient(server.app);
        await client.get('/me'); // an anonymous visit: no cookie is set for it
        const registration = new InjectClient(server.app);
        await registration.post('/register', { username: uniqueName('fixation'), password: 'x', key_password: 'y' });
        const fixed = registration.cookie;
        expect(fixed).toBeDefined();
        // Log in on the registration's session: the id must change.
        const body = await loginBody(registration, alice);
        const response = await registration.post('/login', body);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ username: alice.username });
        const cookie = response.cookies.find((c) => c.name === 'ecp.sid');
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(cookie?.secure).toBeUndefined(); // plain HTTP with cookieSecure 'auto'
        expect(registration.cookie).not.toBe(fixed);
        expect((await registration.get('/me')).json()).toEqual({ username: alice.username });
        // The pre-login session id is dead.
        const old = new InjectClient(server.app);
        old.cookie = fixed;
        expect((await old.get('/me')).statusCode).toBe(401);
        // Registration downloads do not survive a login.
        expect((await registration.get('/ecp/keys')).statusCode).toBe(404);
      });

      it('writes the session of a cookieless login once, and replaces a session the client brought', async () => {
        const inner = new KyselySessionStore(database.db);
        const calls: Array<'get' | 'set' | 'destroy'> = [];
        const store: SessionStore = {
          get: (sid, callback) => (calls.push('get'), inner.get(sid, callback)),
          set: (sid, session, callback) => (calls.push('set'), inner.set(sid, session, callback)),
          destroy: (sid, callback) => (calls.push('destroy'), inner.destroy(sid, callback)),
        };
        const custom = await buildTestServer({ db: database.db, users: server.users, plugin: { session: { secret: SESSION_SECRET, store } } });
        try {
          const client = new InjectClient(custom.app);
          const first = await loginBody(client, alice);
          calls.length = 0;
          expect((await client.post('/login', first)).statusCode).toBe(200);
          // Its id was made by this request and seen by nobody: no regeneration, one write.
          expect(calls).toEqual(['set']);
          const brought = client.cookie;
          expect((await client.get('/me')).json()).toEqual({ username: alice.username });

          const second = await loginBody(client, alice);
          calls.length = 0;
          expect((await client.post('/login', second)).statusCode).toBe(200);
          // A session that came with the request is regenerated: the old row goes, a new id comes.
          expect(calls.filter((call) => call === 'destroy')).toHaveLength(1);
          expect(client.cookie).not.toBe(brought);
          const old = new InjectClient(custom.app);
          old.cookie = brought;
          expect((await old.get('/me')).statusCode).toBe(401);
          expect((await client.get('/me')).json()).toEqual({ username: alice.username });
        } finally {
          await custom.app.close();
        }
      });

      it('accepts an urlencoded login body and upper-case hex', async () => {
        const client = new InjectClient(server.app);
        const body = await loginBody(client, alice);
        const form = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
        form.signature = form.signature!.toUpperCase();
        const response = await client.request('POST', '/login', { form });
        expect(response.statusCode).toBe(200);
      });

      it('refuses a replayed nonce', async () => {
        const client = new InjectClient(server.app);
        const body = await loginBody(client, alice);
        expect((await client.post('/login', body)).statusCode).toBe(200);
        const replay = await new InjectClient(server.app).post('/login', body);
        expect(replay.statusCode).toBe(401);
        expect(replay.body).toBe(AUTH_FAILED);
      });

      it('consumes the nonce even when the password is wrong', async () => {
        const client = new InjectClient(server.app);
        const body = await loginBody(client, alice);
        expect((await client.post('/login', { ...body, password: 'wrong' })).statusCode).toBe(401);
        expect((await client.post('/login', body)).body).toBe(AUTH_FAILED);
      });

      it('answers every failed factor with the same status, headers and bytes', async () => {
        const client = new InjectClient(server.app);
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const cases: Record<string, () => Promise<Record<string, unknown>>> = {
          'wrong password': () => loginBody(client, alice, { password: 'not the password' }),
          'unknown user': () => loginBody(client, alice, { username: uniqueName('nobody') }),
          'wrong key': () => loginBody(client, { ...alice, key: other }),
          'unknown nonce id': () => loginBody(client, alice, { nonce_id: 'AAAAAAAAAAAAAAAAAAAAAA' }),
          'signature not hex': () => loginBody(client, alice, { signature: 'zz' }),
          'signature with trailing byte': async () => {
            const body = await loginBody(client, alice);
            return { ...body, signature: `${String(body.signature)}00` };
          },
          'signature of another nonce': async () => {
            const first = await loginBody(client, alice);
            const second = await loginBody(client, alice);
            return { ...second, signature: first.signature };
          },
          'missing signature': () => loginBody(client, alice, { signature: undefined }),
          'password as a number': () => loginBody(client, alice, { password: 12345 }),
          'empty body': async () => ({}),
        };
        const seen = new Map<string, string>();
        for (const [label, makeBody] of Object.entries(cases)) {
          const response = await client.post('/login', await makeBody());
          expect(response.statusCode, label).toBe(401);
          expect(response.body, label).toBe(AUTH_FAILED);
          seen.set(label, `${response.headers['content-type']}|${response.headers['content-length']}`);
        }
        expect(new Set(seen.values()).size).toBe(1);
        expect(client.cookie).toBeUndefined();
      });

      it('spends a password check on unknown users too', async () => {
        const before = server.users.passwordChecks;
        const client = new InjectClient(server.app);
        await client.post('/login', await loginBody(client, alice, { username: uniqueName('ghost') }));
        expect(server.users.passwordChecks).toBe(before + 1);
      });

      it('refuses an expired nonce', async () => {
        const client = new InjectClient(server.app);
        const body = await loginBody(client, alice);
        await database.db
          .updateTable('ecp_nonces')
          .set({ expires_at: new Date(Date.now() - 1_000) })
          .where('id', '=', String(body.nonce_id))
          .execute();
        expect((await client.post('/login', body)).body).toBe(AUTH_FAILED);
      });

      it('refuses a certificate outside its validity window, and accepts it back inside', async () => {
        const bob = await enrolUser(server.app, uniqueName('bob'));
        const user = (await server.users.findByUsername(bob.username))!;
        const client = new InjectClient(server.app);
        const windows = {
          expired: { notBefore: new Date(Date.now() - 3 * DAY), days: 1 },
          'not yet valid': { notBefore: new Date(Date.now() + DAY), days: 10 },
        };
        for (const [label, window] of Object.entries(windows)) {
          await server.app.ecp.saveCertificate(user.id, certificateFor(bob.key, bob.username, window));
          const response = await client.post('/login', await loginBody(client, bob));
          expect(response.body, label).toBe(AUTH_FAILED);
        }
        await server.app.ecp.saveCertificate(user.id, certificateFor(bob.key, bob.username));
        expect((await client.post('/login', await loginBody(client, bob))).statusCode).toBe(200);
      });

      it('keeps /me behind a login, and logout ends the session', async () => {
        const client = new InjectClient(server.app);
        const anonymous = await client.get('/me');
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.json()).toEqual({ error: expect.any(String), code: 'ECP_UNAUTHENTICATED' });
        expect((await client.post('/login', await loginBody(client, alice))).statusCode).toBe(200);
        expect((await client.get('/me')).statusCode).toBe(200);
        expect((await client.request('POST', '/logout')).statusCode).toBe(204);
        expect((await client.get('/me')).statusCode).toBe(401);
      });

      it('composes with @fastify/auth (or / and relations)', async () => {
        const app = Fastify();
        app.setErrorHandler(ecpErrorHandler);
        await app.register(fastifyAuth);
        await app.register(ecpFastify, { db: database.db, users: server.users, session: { secret: SESSION_SECRET }, kdfIterations: TEST_KDF_ITERATIONS });
        const apiKey = async (request: { headers: Record<string, unknown> }) => {
          if (request.headers['x-api-key'] !== 'sesame') throw new Error('no api key');
        };
        app.post('/login', { preHandler: app.auth([app.ecp.loginPreHandler]) }, async (request) => ({ username: request.ecpUser?.username }));
        app.post('/either', { preHandler: app.auth([apiKey, app.ecp.loginPreHandler]) }, async (request) => ({ user: request.ecpUser?.username ?? null }));
        app.get('/both', { preHandler: app.auth([app.ecp.requireUser, apiKey], { relation: 'and' }) }, async (request) => ({ user: request.ecpUser?.username }));
        await app.ready();
        try {
          const client = new InjectClient(app);
          const failed = await client.post('/login', await loginBody(client, alice, { password: 'nope' }));
          expect(failed.statusCode).toBe(401);
          expect(failed.body).toBe(AUTH_FAILED);
          expect((await client.post('/either', {})).statusCode).toBe(401);
          expect((await client.request('POST', '/either', { json: {}, headers: { 'x-api-key': 'sesame' } })).json()).toEqual({ user: null });
          const ok = await client.post('/login', await loginBody(client, alice));
          expect(ok.statusCode).toBe(200);
          expect(ok.json()).toEqual({ username: alice.username });
          expect((await client.get('/both')).statusCode).toBe(401);
          expect((await client.get('/both', { 'x-api-key': 'sesame' })).json()).toEqual({ user: alice.username });
        } finally {
          await app.close();
        }
      });
    });

    describe('GET /ecp/keys', () => {
      const register = async (): Promise<{ client: InjectClient; username: string; keyPassword: string }> => {
        const client = new InjectClient(server.app);
        const username = uniqueName('keys');
        const keyPassword = `kp-${username}`;
        expect((await client.post('/register', { username, password: 'pw', key_password: keyPassword })).statusCode).toBe(201);
        return { client, username, keyPassword };
      };

      it('serves the key and certificate once as JSON', async () => {
        const { client, username, keyPassword } = await register();
        const first = await client.get('/ecp/keys');
        expect(first.statusCode).toBe(200);
        expect(first.headers['cache-control']).toBe('no-store');
        const { private_key, certificate } = first.json<{ private_key: string; certificate: string }>();
        expect(private_key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
        expect(parseCertificate(certificate).subject.commonName).toBe(username);
        expect(decryptKey(private_key, keyPassword).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
        const second = await client.get('/ecp/keys');
        expect(second.statusCode).toBe(404);
        expect(second.json()).toEqual({ error: expect.any(String), code: 'ECP_NOT_FOUND' });
        // The .p12 was not part of the JSON answer and is still there.
        expect((await client.get('/ecp/keys?file=pkcs12')).statusCode).toBe(200);
      });

      it('serves each file once as an attachment, clearing only that file', async () => {
        const { client, username, keyPassword } = await register();
        const key = await client.get('/ecp/keys?file=private_key');
        expect(key.statusCode).toBe(200);
        expect(key.headers['content-type']).toMatch(/^application\/x-pem-file/);
        expect(key.headers['content-disposition']).toBe('attachment; filename="private_key.pem"');
        expect(key.body).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
        expect((await client.get('/ecp/keys?file=private_key')).statusCode).toBe(404);

        const rest = await client.get('/ecp/keys');
        expect(rest.statusCode).toBe(200);
        expect(Object.keys(rest.json())).toEqual(['certificate']);

        const p12 = await client.get('/ecp/keys?file=pkcs12');
        expect(p12.statusCode).toBe(200);
        expect(p12.headers['content-type']).toBe('application/x-pkcs12');
        expect(p12.headers['content-disposition']).toBe('attachment; filename="credentials.p12"');
        const contents = await readPkcs12(new Uint8Array(p12.rawPayload), keyPassword);
        expect(contents.certificate.subject.commonName).toBe(username);
        expect(decryptKey(key.body, keyPassword).export({ format: 'jwk' }).d).toBe(contents.privateKey.export({ format: 'jwk' }).d);
        expect((await client.get('/ecp/keys?file=pkcs12')).statusCode).toBe(404);
        expect((await client.get('/ecp/keys?file=certificate')).statusCode).toBe(404);
        expect((await client.get('/ecp/keys')).statusCode).toBe(404);
      });

      it('serves certificate.pem as an attachment', async () => {
        const { client } = await register();
        const cert = await client.get('/ecp/keys?file=certificate');
        expect(cert.headers['content-disposition']).toBe('attachment; filename="certificate.pem"');
        expect(cert.body).toMatch(/^-----BEGIN CERTIFICATE-----/);
      });

      it('refuses an unknown file with 400, and anyone without a session with 401', async () => {
        const { client } = await register();
        for (const file of ['secret', 'constructor', '__proto__', '']) {
          const response = await client.get(`/ecp/keys?file=${file}`);
          expect(response.statusCode, file).toBe(400);
          expect(response.json().code).toBe('ECP_BAD_REQUEST');
        }
        const stranger = new InjectClient(server.app);
        for (const url of ['/ecp/keys', '/ecp/keys?file=private_key']) {
          const response = await stranger.get(url);
          expect(response.statusCode).toBe(401);
          expect(response.json()).toEqual({ error: expect.any(String), code: 'ECP_UNAUTHENTICATED' });
        }
        const forged = new InjectClient(server.app);
        forged.cookie = 'not-a-session.signature';
        expect((await forged.get('/ecp/keys')).statusCode).toBe(401);
      });
    });

    describe('POST /ecp/certificate', () => {
      /** A registered user (session from registration) and a fresh key for the new certificate. */
      const setup = async () => {
        const user = await enrolUser(server.app, uniqueName('upload'));
        const client = new InjectClient(server.app);
        expect((await client.post('/login', await loginBody(client, user))).statusCode).toBe(200);
        const newKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        return { user, client, newKey, pem: certificateToPem(certificateFor(newKey, user.username)) };
      };
      const loginWorks = async (user: EnrolledUser, key: KeyObject): Promise<boolean> => {
        const client = new InjectClient(server.app);
        return (await client.post('/login', await loginBody(client, { ...user, key }))).statusCode === 200;
      };

      it('replaces the login certificate from JSON', async () => {
        const { user, client, newKey, pem } = await setup();
        const response = await client.post('/ecp/certificate', { certificate: pem });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'ok' });
        expect(await loginWorks(user, newKey)).toBe(true);
        expect(await loginWorks(user, user.key)).toBe(false);
      });

      it('accepts a multipart file part, a multipart text field and an urlencoded form', async () => {
        const { user, client } = await setup();
        const shapes = [
          (pem: string) => multipartBody([{ name: 'certificate', filename: 'certificate.pem', content: pem }]),
          (pem: string) => multipartBody([{ name: 'note', content: 'hello' }, { name: 'certificate', content: pem }]),
        ];
        for (const shape of shapes) {
          const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
          const { body, contentType } = shape(certificateToPem(certificateFor(key, user.username)));
          const response = await client.request('POST', '/ecp/certificate', { payload: body, headers: { 'content-type': contentType } });
          expect(response.statusCode, response.body).toBe(200);
          expect(await loginWorks(user, key)).toBe(true);
        }
        const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const form = await client.request('POST', '/ecp/certificate', { form: { certificate: certificateToPem(certificateFor(key, user.username)) } });
        expect(form.statusCode).toBe(200);
        expect(await loginWorks(user, key)).toBe(true);
      });

      it('lets a fresh registration upload its own certificate before logging in', async () => {
        const client = new InjectClient(server.app);
        const username = uniqueName('own');
        await client.post('/register', { username, password: 'pw', key_password: 'kp' });
        const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const response = await client.post('/ecp/certificate', { certificate: certificateToPem(certificateFor(key, username)) });
        expect(response.statusCode).toBe(200);
        expect(await loginWorks({ username, password: 'pw' } as EnrolledUser, key)).toBe(true);
      });

      it('refuses every bad upload with 400 {error, code} and keeps the stored certificate', async () => {
        const { user, client, newKey } = await setup();
        const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
        const padded = (pem: string, size: number) => pem + ' '.repeat(size - Buffer.byteLength(pem));
        const valid = certificateToPem(certificateFor(newKey, user.username));
        const file = (content: string) => multipartBody([{ name: 'certificate', filename: 'c.pem', content }]);
        const cases: Array<[string, { json?: unknown; multipart?: { body: Buffer; contentType: string } }, string]> = [
          ['missing (JSON)', { json: {} }, 'ECP_BAD_REQUEST'],
          ['not a string', { json: { certificate: 42 } }, 'ECP_BAD_REQUEST'],
          ['missing (multipart)', { multipart: multipartBody([{ name: 'other', content: 'x' }]) }, 'ECP_BAD_REQUEST'],
          ['two certificates', { multipart: multipartBody([{ name: 'certificate', content: valid }, { name: 'certificate', content: valid }]) }, 'ECP_BAD_REQUEST'],
          ['oversized (JSON)', { json: { certificate: padded(valid, 10_001) } }, 'ECP_INPUT_TOO_LARGE'],
          ['oversized (JSON body over the route limit)', { json: { certificate: 'x'.repeat(70_000) } }, 'ECP_INPUT_TOO_LARGE'],
          ['oversized (multipart file)', { multipart: file(padded(valid, 10_001)) }, 'ECP_INPUT_TOO_LARGE'],
          ['oversized (multipart field)', { multipart: multipartBody([{ name: 'certificate', content: padded(valid, 10_001) }]) }, 'ECP_INPUT_TOO_LARGE'],
          ['unparsable', { json: { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' } }, 'ECP_INVALID_CERTIFICATE'],
          ['not PEM at all', { multipart: file('hello') }, 'ECP_INVALID_CERTIFICATE'],
          ['expired', { json: { certificate: certificateToPem(certificateFor(newKey, user.username, { notBefore: new Date(Date.now() - 3 * DAY), days: 1 })) } }, 'ECP_CERTIFICATE_EXPIRED'],
          ['not yet valid', { json: { certificate: certificateToPem(certificateFor(newKey, user.username, { notBefore: new Date(Date.now() + DAY) })) } }, 'ECP_CERTIFICATE_NOT_YET_VALID'],
          ['wrong CN', { json: { certificate: certificateToPem(certificateFor(newKey, `${user.username}x`)) } }, 'ECP_SUBJECT_MISMATCH'],
          ['P-384 key', { json: { certificate: certificateToPem(certificateFor(p384, user.username)) } }, 'ECP_WRONG_CURVE'],
        ];
        for (const [label, input, code] of cases) {
          const response =
            input.multipart === undefined
              ? await client.post('/ecp/certificate', input.json)
              : await client.request('POST', '/ecp/certificate', { payload: input.multipart.body, headers: { 'content-type': input.multipart.contentType } });
          expect(response.statusCode, `${label}: ${response.body}`).toBe(400);
          expect(response.json(), label).toEqual({ error: expect.any(String), code });
        }
        // A 10 000-byte certificate is still fine.
        expect((await client.post('/ecp/certificate', { certificate: padded(valid, 10_000) })).statusCode).toBe(200);
        expect(await loginWorks(user, newKey)).toBe(true);
      });

      it('keeps the old certificate when an upload is refused', async () => {
        const { user, client, newKey } = await setup();
        const expired = certificateToPem(certificateFor(newKey, user.username, { notBefore: new Date(Date.now() - 3 * DAY), days: 1 }));
        expect((await client.post('/ecp/certificate', { certificate: expired })).statusCode).toBe(400);
        expect(await loginWorks(user, user.key)).toBe(true);
      });

      it('refuses an upload without a session with 401', async () => {
        const response = await new InjectClient(server.app).post('/ecp/certificate', { certificate: 'x' });
        expect(response.statusCode).toBe(401);
        expect(response.json().code).toBe('ECP_UNAUTHENTICATED');
      });
    });

    describe('client-side enrolment (CSR)', () => {
      it('certifies the key of a valid CSR without ever seeing the private key, and that key logs in', async () => {
        const username = uniqueName('csr');
        const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const client = new InjectClient(server.app);
        const response = await client.post('/register-csr', { username, password: 'pw', csr: createCsr({ privateKey: key, commonName: username }) });
        expect(response.statusCode, response.body).toBe(201);
        const certificate = parseCertificate(response.json<{ certificate: string }>().certificate);
        expect(certificate.subject.commonName).toBe(username);
        expect(certificate.issuer.commonName).toBe('ecp-fastify enrolment issuer');
        expect(Buffer.from(certificate.publicKey.spki).equals(createPublicKey(key).export({ format: 'der', type: 'spki' }))).toBe(true);
        expect(certificate.extKeyUsage).toContain('1.3.6.1.5.5.7.3.2');
        expect((await client.post('/login', await loginBody(client, { username, password: 'pw', key }))).statusCode).toBe(200);
      });

      it('refuses a CSR with a bad signature, another CN, another curve, or that is not a CSR', async () => {
        const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
        const tampered = (pem: string): string => {
          const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
          der.writeUInt8(der.readUInt8(der.length - 5) ^ 0x01, der.length - 5); // inside the signature
          return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
        };
        const cases: Array<[string, (username: string) => string, string]> = [
          ['bad signature', (u) => tampered(createCsr({ privateKey: p256, commonName: u })), 'ECP_INVALID_SIGNATURE'],
          ['other CN', (u) => createCsr({ privateKey: p256, commonName: `${u}-other` }), 'ECP_SUBJECT_MISMATCH'],
          ['P-384', (u) => createCsr({ privateKey: p384, commonName: u }), 'ECP_WRONG_CURVE'],
          ['garbage', () => 'hello', 'ECP_MALFORMED'],
          ['oversized', () => 'A'.repeat(10_001), 'ECP_INPUT_TOO_LARGE'],
        ];
        for (const [label, makeCsr, code] of cases) {
          const username = uniqueName('badcsr');
          const response = await new InjectClient(server.app).post('/register-csr', { username, password: 'pw', csr: makeCsr(username) });
          expect(response.statusCode, label).toBe(400);
          expect(response.json(), label).toEqual({ error: expect.any(String), code });
        }
      });
    });

    describe('CA mode', () => {
      it('issues enrolment and CSR certificates from the configured CA, with the CA in the .p12', async () => {
        const caKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const ca = createSelfSignedCertificate({ privateKey: caKey, commonName: 'Test Users CA', profile: 'ca', days: 30 });
        const caServer = await buildTestServer({ db: database.db, plugin: { issuer: { certificate: certificateToPem(ca), privateKey: caKey } } });
        try {
          expect(caServer.app.ecp.caMode).toBe(true);
          const user = await enrolUser(caServer.app, uniqueName('ca'));
          const certificate = parseCertificate(user.certificatePem);
          expect(certificate.issuer.commonName).toBe('Test Users CA');
          expect(certificate.basicConstraints?.cA).toBe(false);
          const client = new InjectClient(caServer.app);
          expect((await client.post('/login', await loginBody(client, user))).statusCode).toBe(200);

          const registration = new InjectClient(caServer.app);
          const username = uniqueName('cap12');
          await registration.post('/register', { username, password: 'pw', key_password: 'kp' });
          const p12 = await registration.get('/ecp/keys?file=pkcs12');
          const contents = await readPkcs12(new Uint8Array(p12.rawPayload), 'kp');
          expect(contents.chain.map((c) => c.subject.commonName)).toEqual(['Test Users CA']);

          const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
          const csrUser = uniqueName('cacsr');
          const issued = await registration.post('/register-csr', { username: csrUser, password: 'pw', csr: createCsr({ privateKey: key, commonName: csrUser }) });
          expect(parseCertificate(issued.json<{ certificate: string }>().certificate).issuer.commonName).toBe('Test Users CA');
        } finally {
          await caServer.app.close();
        }
      });
    });

    describe('over real sockets', () => {
      it('rate-limits by the TCP peer, believing X-Forwarded-For only from the trusted proxy 127.0.0.2', async () => {
        const limited = await buildTestServer({ db: database.db, plugin: { trustedProxies: ['127.0.0.2'], rateLimit: undefined } });
        try {
          const port = await listen(limited.app);
          const challenge = (headers: Record<string, string> = {}, localAddress = '127.0.0.1') => http(port, '/ecp/challenge', { headers, localAddress });
          // A direct client forging X-Forwarded-For: every request still counts against 127.0.0.1.
          const direct = [];
          for (let i = 0; i < 11; i++) direct.push((await challenge({ 'x-forwarded-for': `198.51.100.${i}` })).status);
          expect(direct).toEqual([...Array(10).fill(200), 429]);
          expect(JSON.parse((await challenge()).body)).toEqual({ error: expect.any(String), code: 'ECP_RATE_LIMITED' });
          // The trusted proxy's forwarded clients each get their own budget...
          expect((await challenge({ 'x-forwarded-for': '203.0.113.1' }, '127.0.0.2')).status).toBe(200);
          const proxied = [];
          for (let i = 0; i < 11; i++) proxied.push((await challenge({ 'x-forwarded-for': '198.51.100.1, 203.0.113.2' }, '127.0.0.2')).status);
          // ...keyed by the address the proxy appended, not by what the client prepended.
          expect(proxied).toEqual([...Array(10).fill(200), 429]);
          expect((await challenge({ 'x-forwarded-for': '203.0.113.3' }, '127.0.0.2')).status).toBe(200);
          // A client pretending to be behind the proxy, under the limited address, is limited.
          expect((await challenge({ 'x-forwarded-for': '127.0.0.1' }, '127.0.0.2')).status).toBe(429);
        } finally {
          await limited.app.close();
        }
      });

      it('works with openssl and curl as the only client: decrypt, sign, log in, replay fails', async () => {
        // Default key-file protection (600 000 PBKDF2 iterations), as users get it.
        const real = await buildTestServer({ db: database.db, plugin: { kdfIterations: undefined } });
        const dir = mkdtempSync(join(tmpdir(), 'ecp-openssl-'));
        try {
          const port = await listen(real.app);
          const base = `http://127.0.0.1:${port}`;
          const jar = join(dir, 'cookies');
          const username = uniqueName('openssl');
          const call = async (args: string[]) => (await curlOk(['-sS', '-b', jar, '-c', jar, ...args])).stdout.toString('utf8');
          const registered = await call(['-H', 'content-type: application/x-www-form-urlencoded', '-d', `username=${username}&password=pw&key_password=secret phrase`, `${base}/register`]);
          expect(JSON.parse(registered)).toEqual({ username });
          await call(['-o', join(dir, 'private_key.pem'), `${base}/ecp/keys?file=private_key`]);
          await call(['-o', join(dir, 'certificate.pem'), `${base}/ecp/keys?file=certificate`]);
          writeFileSync(join(dir, 'pass'), 'secret phrase\n');
          opensslOk(['pkey', '-in', join(dir, 'private_key.pem'), '-passin', `file:${join(dir, 'pass')}`, '-out', join(dir, 'plain.pem')]);
          const keyText = opensslOk(['pkey', '-in', join(dir, 'plain.pem'), '-noout', '-text']).stdout.toString();
          expect(keyText).toMatch(/prime256v1|P-256/);
          const subject = opensslOk(['x509', '-in', join(dir, 'certificate.pem'), '-noout', '-subject']).stdout.toString();
          expect(subject).toContain(`CN = ${username}`);

          const challenge = JSON.parse(await call([`${base}/ecp/challenge`])) as Challenge;
          writeFileSync(join(dir, 'nonce'), challenge.nonce);
          const signature = opensslOk(['dgst', '-sha256', '-sign', join(dir, 'plain.pem'), join(dir, 'nonce')]).stdout.toString('hex');
          const form = `username=${username}&password=pw&nonce_id=${encodeURIComponent(challenge.nonce_id)}&signature=${signature}`;
          const login = await curl(['-sS', '-b', jar, '-c', jar, '-w', '\n%{http_code}', '-d', form, `${base}/login`]);
          expect(login.stdout.toString()).toBe(`{"username":"${username}"}\n200`);
          expect(JSON.parse(await call([`${base}/me`]))).toEqual({ username });
          const replay = await curl(['-sS', '-w', '\n%{http_code}', '-d', form, `${base}/login`]);
          expect(replay.stdout.toString()).toBe(`${AUTH_FAILED}\n401`);
        } finally {
          await real.app.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });

    describe('one plugin instance per app, app-managed sessions', () => {
      it('uses an app-registered @fastify/session with session: false', async () => {
        const { default: cookie } = await import('@fastify/cookie');
        const { default: session } = await import('@fastify/session');
        const app = Fastify();
        app.setErrorHandler(ecpErrorHandler);
        await app.register(cookie);
        await app.register(session, { secret: SESSION_SECRET, cookieName: 'app.sid', cookie: { secure: false } });
        await app.register(ecpFastify, { db: database.db, users: new TestUsers(), session: false });
        app.get('/whoami', { preHandler: app.ecp.requireUser }, async (request) => request.ecpUser);
        await app.ready();
        try {
          expect((await app.inject('/whoami')).statusCode).toBe(401);
          expect((await app.inject('/ecp/challenge')).statusCode).toBe(200);
        } finally {
          await app.close();
        }
      });
    });
  });
}


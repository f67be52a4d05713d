/**
 * The example application's routes (contract §4), run on PostgreSQL and on PGlite by
 * `app-postgres.test.ts` and `app-pglite.test.ts`.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { createCsr, parseCertificate } from '@ecp/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, buildTestApp, uniqueUser, type AppDb } from './helpers/app.js';

const AUTH_FAILED = '{"error":"invalid credentials","code":"ECP_AUTH_FAILED"}';

export function describeAppSuite(name: string, openDb: () => Promise<AppDb>): void {
  describe(`example app on ${name}`, () => {
    let database: AppDb;
    let app: FastifyInstance;

    beforeAll(async () => {
      database = await openDb();
      app = await buildTestApp(database.db);
    });
    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    /** Registers server-side, downloads the key, and returns what a user then holds. */
    async function registerUser(username = uniqueUser()) {
      const browser = new Browser(app);
      const response = await browser.post('/register', { username, password: 'correct horse', key_password: 'key pass' });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toEqual({ username });
      const keys = await browser.get('/ecp/keys');
      expect(keys.statusCode).toBe(200);
      const key = createPrivateKey({ key: keys.json<{ private_key: string }>().private_key, passphrase: 'key pass' });
      return { username, password: 'correct horse', key };
    }

    async function login(browser: Browser, user: { username: string; password: string; key: ReturnType<typeof createPrivateKey> }, overrides: Record<string, unknown> = {}) {
      const challenge = (await browser.get('/ecp/challenge')).json<{ nonce: string; nonce_id: string }>();
      const signature = sign('sha256', Buffer.from(challenge.nonce), user.key).toString('hex');
      return browser.post('/login', { username: user.username, password: user.password, nonce_id: challenge.nonce_id, signature, ...overrides });
    }

    describe('pages', () => {
      it.each(['/', '/register', '/login'])('serves %s as HTML under a strict CSP', async (path) => {
        const response = await app.inject(path);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(response.headers['content-security-policy']).toContain("script-src 'self'");
        expect(response.body).toMatch(/^<!doctype html>/);
        expect(response.body).toContain('/assets/app.js');
        expect(response.body).not.toMatch(/<script>/); // no inline script
      });

      it('serves the pages script and style', async () => {
        expect((await app.inject('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
        expect((await app.inject('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
      });

      it('answers unknown routes with a JSON 404', async () => {
        const response = await app.inject('/nope?x=1');
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual({ error: 'no route for GET /nope', code: 'ECP_NOT_FOUND' });
      });
    });

    describe('POST /register', () => {
      it('registers server-side: 201 {username} and a session that may fetch /ecp/keys', async () => {
        const user = await registerUser();
        expect(user.key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      });

      it('accepts an urlencoded form', async () => {
        const browser = new Browser(app);
        const username = uniqueUser('form');
        const response = await browser.send('POST', '/register', { form: { username, password: 'pw', key_password: 'kp' } });
        expect(response.statusCode).toBe(201);
        expect((await browser.get('/ecp/keys?file=certificate')).statusCode).toBe(200);
      });

      it('registers from a CSR: 201 {username, certificate} for the CSR key', async () => {
        const username = uniqueUser('csr');
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const browser = new Browser(app);
        const response = await browser.post('/register', { username, password: 'pw', csr: createCsr({ privateKey, commonName: username }) });
        expect(response.statusCode, response.body).toBe(201);
        const body = response.json<{ username: string; certificate: string }>();
        expect(body.username).toBe(username);
        const certificate = parseCertificate(body.certificate);
        expect(certificate.subject.commonName).toBe(username);
        expect(Buffer.from(certificate.publicKey.spki).equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
        // Nothing to download: the server never had the key.
        expect((await browser.get('/ecp/keys')).statusCode).toBe(401);
        expect((await login(new Browser(app), { username, password: 'pw', key: privateKey })).statusCode).toBe(200);
      });

      it('refuses invalid input with 400 {error, code}', async () => {
        const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
        const cases: Array<[string, Record<string, unknown>, string]> = [
          ['no username', { password: 'pw', key_password: 'kp' }, 'ECP_BAD_REQUEST'],
          ['username with a space', { username: 'a b', password: 'pw', key_password: 'kp' }, 'ECP_BAD_REQUEST'],
          ['username too long', { username: 'a'.repeat(65), password: 'pw', key_password: 'kp' }, 'ECP_BAD_REQUEST'],
          ['empty password', { username: uniqueUser(), password: '', key_password: 'kp' }, 'ECP_BAD_REQUEST'],
          ['neither key_password nor csr', { username: uniqueUser(), password: 'pw' }, 'ECP_BAD_REQUEST'],
          ['both key_password and csr', { username: uniqueUser(), password: 'pw', key_password: 'kp', csr: 'x' }, 'ECP_BAD_REQUEST'],
          ['csr that is not one', { username: uniqueUser(), password: 'pw', csr: 'not a csr' }, 'ECP_MALFORMED'],
          ['csr for a P-384 key', { username: 'p384user', password: 'pw', csr: createCsr({ privateKey: p384, commonName: 'p384user' }) }, 'ECP_WRONG_CURVE'],
          ['csr for another name', { username: uniqueUser(), password: 'pw', csr: createCsr({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, commonName: 'someone-else' }) }, 'ECP_SUBJECT_MISMATCH'],
        ];
        for (const [label, body, code] of cases) {
          const response = await new Browser(app).post('/register', body);
          expect(response.statusCode, label).toBe(400);
          expect(response.json(), label).toEqual({ error: expect.any(String), code });
        }
        // A refused registration creates nothing: the name is still free.
        expect((await new Browser(app).post('/register', { username: 'p384user', password: 'pw', key_password: 'kp' })).statusCode).toBe(201);
        const malformed = await app.inject({ method: 'POST', url: '/register', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
        expect(malformed.statusCode).toBe(400);
        expect(malformed.json().code).toBe('ECP_BAD_REQUEST');
      });

      it('answers 409 for a taken username, in both flows', async () => {
        const { username } = await registerUser();
        const again = await new Browser(app).post('/register', { username, password: 'other', key_password: 'kp' });
        expect(again.statusCode).toBe(409);
        expect(again.json()).toEqual({ error: 'this username is taken', code: 'ECP_USERNAME_TAKEN' });
        const csr = createCsr({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, commonName: username });
        expect((await new Browser(app).post('/register', { username, password: 'pw', csr })).statusCode).toBe(409);
      });

      it('lets one of two simultaneous registrations of a name win', async () => {
        const username = uniqueUser('race');
        const responses = await Promise.all([1, 2, 3].map(() => new Browser(app).post('/register', { username, password: 'pw', key_password: 'kp' })));
        expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      });
    });

    describe('behind a TLS-terminating proxy', () => {
      it('marks the session cookie Secure when the trusted proxy says https, and only then', async () => {
        const proxied = await buildTestApp(database.db, ['10.0.0.5']);
        try {
          const register = (remoteAddress: string) =>
            proxied.inject({
              method: 'POST',
              url: '/register',
              remoteAddress,
              headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
              payload: JSON.stringify({ username: uniqueUser('tls'), password: 'pw', key_password: 'kp' }),
            });
          const viaProxy = (await register('10.0.0.5')).cookies.find((c) => c.name === 'ecp.sid');
          expect(viaProxy).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
          // A direct client claiming https gets a plain cookie: its header is not believed.
          const direct = (await register('198.51.100.20')).cookies.find((c) => c.name === 'ecp.sid');
          expect(direct).toBeDefined();
          expect(direct?.secure).toBeUndefined();
        } finally {
          await proxied.close();
        }
      });
    });

    describe('POST /login, GET /me, POST /logout', () => {
      it('logs in with both factors: 200 {username} and a session cookie', async () => {
        const user = await registerUser();
        const browser = new Browser(app);
        const response = await login(browser, user);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ username: user.username });
        expect(response.cookies.find((c) => c.name === 'ecp.sid')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
        expect((await browser.get('/me')).json()).toEqual({ username: user.username });
      });

      it('answers every failure with the same 401 body', async () => {
        const user = await registerUser();
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        const browser = new Browser(app);
        const failures = [
          await login(browser, user, { password: 'wrong' }),
          await login(browser, { ...user, username: uniqueUser('ghost') }),
          await login(browser, { ...user, key: other }),
          await login(browser, user, { nonce_id: 'AAAAAAAAAAAAAAAAAAAAAA' }),
          await browser.post('/login', {}),
        ];
        for (const response of failures) {
          expect(response.statusCode).toBe(401);
          expect(response.body).toBe(AUTH_FAILED);
        }
      });

      it('keeps /me for logged-in sessions and ends them on logout', async () => {
        const user = await registerUser();
        const browser = new Browser(app);
        expect((await browser.get('/me')).statusCode).toBe(401);
        await login(browser, user);
        expect((await browser.get('/me')).statusCode).toBe(200);
        const logout = await browser.post('/logout');
        expect(logout.statusCode).toBe(204);
        expect(logout.body).toBe('');
        expect((await browser.get('/me')).statusCode).toBe(401);
        // Logging out without a session is fine too.
        expect((await new Browser(app).post('/logout')).statusCode).toBe(204);
      });

      it('does not count a registration as a login', async () => {
        const browser = new Browser(app);
        await browser.post('/register', { username: uniqueUser(), password: 'pw', key_password: 'kp' });
        expect((await browser.get('/me')).statusCode).toBe(401);
      });
    });
  });
}

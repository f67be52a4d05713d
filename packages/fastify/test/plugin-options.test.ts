/** Register-time validation: a wrong option fails `ready()` with a message that names it. */
import { generateKeyPairSync } from 'node:crypto';
import { certificateToPem, createSelfSignedCertificate } from '@ecp/core';
import Fastify from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ecpFastify, EcpOptionsError, type EcpPluginOptions, type EcpTables } from '../src/index.js';
import { TestUsers } from './helpers/users.js';

// No query is ever sent: validation happens before the plugin touches the database.
const pool = new pg.Pool({ connectionString: 'postgresql://nobody@127.0.0.1:1/none' });
const db = new Kysely<EcpTables>({ dialect: new PostgresDialect({ pool }) });
afterAll(() => db.destroy());

const valid: EcpPluginOptions = { db, users: new TestUsers(), session: { secret: 'x'.repeat(32) } };

async function registerError(options: Record<string, unknown>): Promise<unknown> {
  const app = Fastify();
  try {
    await app.register(ecpFastify, options as unknown as EcpPluginOptions);
    await app.ready();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

describe('plugin options', () => {
  it('registers with the minimal options and exposes the decorator', async () => {
    const app = Fastify();
    await app.register(ecpFastify, valid);
    await app.ready();
    expect(app.ecp.prefix).toBe('/ecp');
    expect(app.ecp.caMode).toBe(false);
    expect(app.ecp.nonces.lifetimeMs).toBe(5 * 60_000);
    expect(app.hasRequestDecorator('ecpUser')).toBe(true);
    expect(app.printRoutes({ commonPrefix: false })).toMatch(/ecp\/challenge/);
    await app.close();
  });

  it('mounts the routes under a custom prefix', async () => {
    const app = Fastify();
    await app.register(ecpFastify, { ...valid, prefix: '/auth/keys' });
    await app.ready();
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes).toContain('/auth/keys/challenge');
    expect(routes).not.toContain('/ecp/');
    await app.close();
  });

  const caKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const caPem = certificateToPem(createSelfSignedCertificate({ privateKey: caKey, commonName: 'CA', profile: 'ca' }));
  const leafPem = certificateToPem(createSelfSignedCertificate({ privateKey: caKey, commonName: 'leaf' }));

  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no db', { ...valid, db: undefined }, /`db` must be a Kysely instance/],
    ['db not Kysely', { ...valid, db: {} }, /`db` must be a Kysely instance/],
    ['no users', { ...valid, users: undefined }, /`users`/],
    ['users without verifyPassword', { ...valid, users: { findByUsername: async () => null } }, /users\.verifyPassword/],
    ['dummy check not a function', { ...valid, users: { ...new TestUsers(), findByUsername: async () => null, verifyPassword: async () => false, dummyPasswordCheck: 1 } }, /dummyPasswordCheck/],
    ['prefix without slash', { ...valid, prefix: 'ecp' }, /`prefix`/],
    ['prefix with trailing slash', { ...valid, prefix: '/ecp/' }, /`prefix`/],
    ['nonce lifetime zero', { ...valid, nonceLifetime: 0 }, /`nonceLifetime`/],
    ['nonce lifetime fractional', { ...valid, nonceLifetime: 1500.5 }, /`nonceLifetime`/],
    ['rate limit max zero', { ...valid, rateLimit: { max: 0 } }, /`rateLimit.max`/],
    ['rate limit window empty', { ...valid, rateLimit: { timeWindow: '' } }, /`rateLimit.timeWindow`/],
    ['trusted proxy typo', { ...valid, trustedProxies: ['10.0.0.300'] }, /"10\.0\.0\.300" is not an IP address/],
    ['trusted proxy bad prefix', { ...valid, trustedProxies: ['10.0.0.0/33'] }, /invalid prefix length/],
    ['trusted proxies not a list', { ...valid, trustedProxies: '10.0.0.1' }, /trustedProxies must be an array/],
    ['certificate days zero', { ...valid, certificateDays: 0 }, /`certificateDays`/],
    ['kdf iterations too low', { ...valid, kdfIterations: 10 }, /`kdfIterations`/],
    ['no session option', { ...valid, session: undefined }, /`session` is required/],
    ['short session secret', { ...valid, session: { secret: 'short' } }, /at least 32 characters/],
    ['empty secret list', { ...valid, session: { secret: [] } }, /at least 32 characters/],
    ['bad cookie name', { ...valid, session: { secret: 'x'.repeat(32), cookieName: 'a b' } }, /cookieName/],
    ['session false without @fastify/session', { ...valid, session: false }, /@fastify\/session is not registered/],
    ['cookieSecure not boolean', { ...valid, cookieSecure: 'yes' }, /`cookieSecure`/],
    ['issuer key not a KeyObject', { ...valid, issuer: { certificate: caPem, privateKey: 'pem' } }, /issuer\.privateKey/],
    ['issuer certificate unreadable', { ...valid, issuer: { certificate: 'nope', privateKey: caKey } }, /issuer\.certificate` cannot be read/],
    ['issuer not a CA', { ...valid, issuer: { certificate: leafPem, privateKey: caKey } }, /not a CA certificate/],
    ['issuer key mismatch', { ...valid, issuer: { certificate: caPem, privateKey: otherKey } }, /does not belong/],
  ];
  for (const [label, options, message] of cases) {
    it(`refuses ${label}`, async () => {
      const error = await registerError(options);
      expect(error).toBeInstanceOf(EcpOptionsError);
      expect((error as Error).message).toMatch(/^@ecp\/fastify: /);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses to register @fastify/session a second time', async () => {
    const { default: cookie } = await import('@fastify/cookie');
    const { default: session } = await import('@fastify/session');
    const app = Fastify();
    await app.register(cookie);
    await app.register(session, { secret: 'y'.repeat(32) });
    const registering = (async () => {
      await app.register(ecpFastify, valid);
      await app.ready();
    })();
    await expect(registering).rejects.toThrow(/already registered: pass `session: false`/);
    await app.close();
  });

  it('keeps an app-registered urlencoded parser', async () => {
    const app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, { raw: body }));
    await app.register(ecpFastify, valid);
    app.post('/echo', async (request) => request.body);
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(response.json()).toEqual({ raw: 'a=1' });
    await app.close();
  });
});

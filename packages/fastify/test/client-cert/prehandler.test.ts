import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificatePreHandler, type ClientCertificateOptions, type ClientCertificatePreHandler } from '../../src/client-cert/index.js';
import { EcpOptionsError } from '../../src/options.js';
import { createClientCertificateFixtures, type ClientCertificateFixtures, type ClientFixture } from './fixtures.js';

const PROXY = '127.0.0.2';
let fx: ClientCertificateFixtures;

beforeAll(() => {
  fx = createClientCertificateFixtures();
});
afterAll(() => fx?.cleanup());

const escaped = (client: ClientFixture) => encodeURIComponent(client.certPem);

/** An app with one guarded route that echoes what the preHandler set. */
async function appWith(options: Partial<ClientCertificateOptions<unknown>> = {}): Promise<{ app: FastifyInstance; guard: ClientCertificatePreHandler }> {
  const guard = createClientCertificatePreHandler<unknown>({
    trustAnchors: [fx.rootPem],
    intermediates: [fx.intermediatePem],
    crlFiles: [fx.intermediateCrlFile],
    revokedFingerprints: [fx.revokedByFingerprint.sha256],
    trustedProxies: [PROXY],
    ...options,
  });
  const app = Fastify();
  app.addHook('onClose', async () => guard.close());
  app.get('/whoami', { preHandler: guard }, async (request) => ({ certificate: request.clientCertificate, user: request.clientCertificateUser }));
  await app.ready();
  return { app, guard };
}

const viaProxy = (app: FastifyInstance, client: ClientFixture | string | undefined, headers: Record<string, string | string[]> = {}) =>
  app.inject({
    method: 'GET',
    url: '/whoami',
    remoteAddress: PROXY,
    headers: client === undefined ? headers : { 'x-client-cert': typeof client === 'string' ? client : escaped(client), ...headers },
  });

describe('client-certificate preHandler (certificate in a trusted proxy header)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await appWith());
  });
  afterAll(() => app?.close());

  it('accepts a valid certificate and describes it on the request', async () => {
    const response = await viaProxy(app, fx.valid);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.certificate).toMatchObject({
      commonName: 'alice',
      issuer: 'ecp test intermediate',
      serial: fx.valid.serial,
      fingerprints: { 'SHA-1': fx.valid.sha1, 'SHA-256': fx.valid.sha256 },
    });
    expect(new Date(body.certificate.notAfter).getTime()).toBeGreaterThan(Date.now());
    expect(body.user).toBeNull();
  });

  it.each([
    ['expired', 'expired'],
    ['foreign', 'untrusted'],
    ['revokedByCrl', 'revoked'],
    ['revokedByFingerprint', 'revoked'],
    ['serverAuthOnly', 'eku'],
  ] as const)('refuses the %s certificate with 403 and reason %s', async (name, reason) => {
    const response = await viaProxy(app, fx[name]);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: expect.any(String), code: 'ECP_CERTIFICATE_PATH', reason });
  });

  it('answers 400 without a certificate', async () => {
    const response = await viaProxy(app, undefined);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'a TLS client certificate is required', code: 'ECP_CLIENT_CERTIFICATE_REQUIRED' });
  });

  it('ignores the header from a peer that is not a trusted proxy (400, as if there were none)', async () => {
    const response = await app.inject({ method: 'GET', url: '/whoami', remoteAddress: '127.0.0.1', headers: { 'x-client-cert': escaped(fx.valid) } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('ECP_CLIENT_CERTIFICATE_REQUIRED');
  });

  it('refuses a header that appears twice, even with two valid certificates', async () => {
    const response = await viaProxy(app, undefined, { 'x-client-cert': [escaped(fx.valid), escaped(fx.valid)] });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('ECP_DUPLICATE_HEADER');
  });

  it('answers 400 for bytes that are not a certificate, and for an oversized header', async () => {
    const garbage = await viaProxy(app, Buffer.from('definitely not a certificate').toString('base64'));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().code).toBe('ECP_CLIENT_CERTIFICATE_MALFORMED');
    const huge = await viaProxy(app, 'A'.repeat(20_000));
    expect(huge.statusCode).toBe(400);
    expect(huge.json().code).toBe('ECP_INPUT_TOO_LARGE');
  });

  it('accepts the same certificate in every header encoding', async () => {
    const base64 = fx.valid.der.toString('base64');
    for (const value of [base64, `:${base64}:`, `By=spiffe://edge;Cert="${escaped(fx.valid)}"`]) {
      const response = await viaProxy(app, value);
      expect(response.statusCode, value.slice(0, 20)).toBe(200);
    }
  });
});

describe('user mapping', () => {
  it('maps by CN (the CN is the user without a lookup; a lookup may refuse with 403)', async () => {
    const plain = await appWith({ mapUser: 'cn' });
    expect((await viaProxy(plain.app, fx.valid)).json().user).toBe('alice');
    await plain.app.close();

    const users = new Map([['alice', { id: 7, name: 'Alice' }]]);
    const looked = await appWith({ mapUser: 'cn', lookupUser: (cn) => users.get(cn) ?? null });
    expect((await viaProxy(looked.app, fx.valid)).json().user).toEqual({ id: 7, name: 'Alice' });
    users.clear();
    const bob = fx.issueClient('bob', 'bob');
    const refused = await viaProxy(looked.app, bob);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: expect.any(String), code: 'ECP_CLIENT_CERTIFICATE_UNKNOWN_USER' });
    await looked.app.close();
  });

  it('maps by SHA-256 fingerprint through the lookup (lower-case hex, no colons)', async () => {
    const seen: string[] = [];
    const { app } = await appWith({
      mapUser: 'fingerprint',
      lookupUser: async (key) => {
        seen.push(key);
        return key === fx.valid.sha256.replace(/:/g, '').toLowerCase() ? 'alice-by-fingerprint' : null;
      },
    });
    expect((await viaProxy(app, fx.valid)).json().user).toBe('alice-by-fingerprint');
    expect(seen).toEqual([fx.valid.sha256.replace(/:/g, '').toLowerCase()]);
    await app.close();
  });

  it('maps by SAN e-mail, and refuses a certificate without one', async () => {
    const { app } = await appWith({ mapUser: 'san-email' });
    const response = await viaProxy(app, fx.valid); // the fixtures carry no SAN
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('ECP_CLIENT_CERTIFICATE_UNKNOWN_USER');
    await app.close();
  });

  it('maps with a callback that sees the accepted certificate', async () => {
    const { app } = await appWith({ mapUser: (certificate) => ({ serial: certificate.serial, path: certificate.path.length }) });
    expect((await viaProxy(app, fx.valid)).json().user).toEqual({ serial: fx.valid.serial, path: 3 });
    await app.close();
  });
});

describe('accepted-certificate cache', () => {
  it('validates and looks up a certificate once while it is cached', async () => {
    let lookups = 0;
    const { app, guard } = await appWith({ mapUser: 'cn', lookupUser: (cn) => (++lookups, cn) });
    for (let i = 0; i < 5; i++) expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    expect(lookups).toBe(1);
    expect(guard.cacheSize).toBe(1);
    await app.close();
  });

  it('keys the cache by the certificate, not by how the header encodes it', async () => {
    let lookups = 0;
    const { app, guard } = await appWith({ mapUser: 'cn', lookupUser: (cn) => (++lookups, cn) });
    const base64 = fx.valid.der.toString('base64');
    for (const value of [escaped(fx.valid), base64, `:${base64}:`, escaped(fx.valid), base64]) {
      expect((await viaProxy(app, value)).statusCode).toBe(200);
    }
    expect(lookups).toBe(1);
    expect(guard.cacheSize).toBe(1);
    await app.close();
  });

  it('refuses a cached certificate as soon as its fingerprint is revoked by reloadRevocation', async () => {
    const { app, guard } = await appWith();
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    expect(guard.cacheSize).toBe(1);
    await guard.reloadRevocation({ revokedFingerprints: [fx.valid.sha256] });
    const response = await viaProxy(app, fx.valid);
    expect(response.statusCode).toBe(403);
    expect(response.json().reason).toBe('revoked');
    // Other lists keep their value: the CRL from crlFiles still applies.
    expect((await viaProxy(app, fx.revokedByCrl)).statusCode).toBe(403);
    // And lifting the entry lets it in again.
    await guard.reloadRevocation({ revokedFingerprints: [] });
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    await app.close();
  });

  it('never keeps an entry past the certificate notAfter, whatever the TTL', async () => {
    const notAfter = notAfterOf(fx.valid);
    let now = notAfter - 1_000;
    let lookups = 0;
    // No CRL here: the fixture CRL would be stale a year from now and refuse everything.
    const { app } = await appWith({ crlFiles: [], clock: () => now, cache: { ttlMs: 24 * 3600 * 1000 }, mapUser: 'cn', lookupUser: (cn) => (++lookups, cn) });
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    now = notAfter; // validity is inclusive: still the cached verdict
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    expect(lookups).toBe(1);
    now = notAfter + 1;
    const response = await viaProxy(app, fx.valid);
    expect(response.statusCode).toBe(403);
    expect(response.json().reason).toBe('expired');
    await app.close();
  });

  it('never keeps an entry past the nextUpdate of the CRLs it was checked against', async () => {
    let now = Date.now();
    let lookups = 0;
    const { app } = await appWith({ clock: () => now, cache: { ttlMs: 365 * 24 * 3600 * 1000 }, mapUser: 'cn', lookupUser: (cn) => (++lookups, cn) });
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    now += 31 * 24 * 3600 * 1000; // the fixture CRL is good for 30 days
    const response = await viaProxy(app, fx.valid);
    expect(response.statusCode).toBe(403);
    expect(response.json().reason).toBe('revoked'); // a stale CRL fails closed
    expect(lookups).toBe(1);
    await app.close();
  });

  it('validates again once the configured TTL has passed', async () => {
    let now = Date.now();
    let lookups = 0;
    const { app } = await appWith({ clock: () => now, cache: { ttlMs: 1_000 }, mapUser: 'cn', lookupUser: (cn) => (++lookups, cn) });
    await viaProxy(app, fx.valid);
    now += 999;
    await viaProxy(app, fx.valid);
    expect(lookups).toBe(1);
    now += 2;
    await viaProxy(app, fx.valid);
    expect(lookups).toBe(2);
    await app.close();
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const { app, guard } = await appWith({ cache: { maxEntries: 2 } });
    const others = [fx.issueClient('c1', 'c1'), fx.issueClient('c2', 'c2'), fx.issueClient('c3', 'c3')];
    for (const client of others) expect((await viaProxy(app, client)).statusCode).toBe(200);
    expect(guard.cacheSize).toBe(2);
    await app.close();
  });
});

describe('revocation files', () => {
  it('picks up a new denylist file and CRL on reloadRevocation(), and keeps the old data when a file is broken', async () => {
    const denylist = join(fx.dir, 'denylist-reload.txt');
    writeFileSync(denylist, '# nobody yet\n');
    const { app, guard } = await appWith({ revokedFingerprints: [], revokedFingerprintsFile: denylist });
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    writeFileSync(denylist, `# revoked today\n${fx.valid.sha256}\n`);
    await guard.reloadRevocation();
    expect((await viaProxy(app, fx.valid)).json().reason).toBe('revoked');
    writeFileSync(denylist, 'not a fingerprint\n');
    await expect(guard.reloadRevocation()).rejects.toThrow(/denylist-reload.txt:1/);
    expect((await viaProxy(app, fx.valid)).json().reason).toBe('revoked');
    await app.close();
  });

  it('watches the files and reloads on change without a call', async () => {
    const denylist = join(fx.dir, 'denylist-watch.txt');
    writeFileSync(denylist, '');
    const { app } = await appWith({ revokedFingerprints: [], revokedFingerprintsFile: denylist, watchRevocationFiles: { intervalMs: 20 } });
    expect((await viaProxy(app, fx.valid)).statusCode).toBe(200);
    writeFileSync(denylist, `${fx.valid.sha256.replace(/:/g, '')}\n`);
    const deadline = Date.now() + 5_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await viaProxy(app, fx.valid)).statusCode;
    }
    expect(status).toBe(403);
    await app.close();
  });
});

describe('options', () => {
  it.each([
    [{ trustAnchors: [] }, /trustAnchors/],
    [{ trustAnchors: ['not a certificate'] }, /trust anchors/],
    [{ header: 'bad header name' }, /header/],
    [{ trustedProxies: ['not-an-ip'] }, /trustedProxies/],
    [{ mapUser: 'fingerprint' }, /lookupUser/],
    [{ lookupUser: () => null }, /mapUser/],
    [{ revokedFingerprints: ['abc'] }, /revokedFingerprints #1/],
    [{ cache: { ttlMs: 0 } }, /ttlMs/],
    [{ crlFiles: ['/nonexistent/ecp.crl'] }, /revocation files/],
  ] as const)('refuses %j at creation', (override, message) => {
    const build = () =>
      createClientCertificatePreHandler({ trustAnchors: [fx.rootPem], ...(override as Partial<ClientCertificateOptions<unknown>>) });
    expect(build).toThrow(EcpOptionsError);
    expect(build).toThrow(message);
  });
});

/** notAfter of a fixture in epoch ms, read independently of @ecp/core (node's own parser). */
const notAfterOf = (client: ClientFixture): number => Date.parse(new X509Certificate(client.der).validTo);

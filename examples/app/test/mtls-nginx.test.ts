/**
 * TLS client certificates end to end: Debian's nginx, configured with the documented
 * examples/nginx/ecp-mtls.conf (only addresses and paths changed), in front of the example
 * app on PostgreSQL, with curl as the client. nginx connects to the app from 127.0.0.2
 * (`proxy_bind`), the only address in the app's trusted proxies; curl talking to the app
 * directly comes from 127.0.0.1 and its X-Client-Cert must be ignored.
 *
 * The app runs in CA mode (the fixtures' intermediate issues users' certificates), so the
 * same `credentials.p12` from registration logs in with a signed nonce and passes nginx mTLS.
 */
import { sign, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { curl, freePort, opensslOk, startNginx, type NginxInstance } from '@ecp/testkit';
import type {} from '@ecp/testkit/postgres-global-setup';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClientCertificateFixtures, type ClientCertificateFixtures, type ClientFixture } from '../../../packages/fastify/test/client-cert/fixtures.js';
import { buildApp } from '../src/app.js';
import { loadIssuer } from '../src/ca-mode.js';
import { UserStore, type AppTables } from '../src/users.js';
import { Browser, cheapHasher, postgresAppDb, SESSION_SECRET, type AppDb } from './helpers/app.js';

const NGINX_CONFIG = fileURLToPath(new URL('../../nginx/ecp-mtls.conf', import.meta.url));
const PROXY_SOURCE = '127.0.0.2';

/**
 * The documented config with this test's ports and files. Every replacement must apply
 * exactly once, so an edit of the documented file that this test no longer covers fails here.
 */
function testNginxConfig(options: { port: number; appPort: number; serverCert: string; serverKey: string }): string {
  let text = readFileSync(NGINX_CONFIG, 'utf8');
  const replace = (from: string, to: string): void => {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`ecp-mtls.conf: expected "${from}" once, found it ${count} times`);
    text = text.replace(from, to);
  };
  replace('listen 443 ssl;', `listen 127.0.0.1:${options.port} ssl;`);
  replace('server 127.0.0.1:3000;', `server 127.0.0.1:${options.appPort};`);
  replace('/etc/nginx/tls/server.pem;', `${options.serverCert};`);
  replace('/etc/nginx/tls/server.key;', `${options.serverKey};`);
  // Give nginx's upstream connections their own source address: the app's one trusted proxy.
  replace('proxy_http_version 1.1;', `proxy_http_version 1.1;\n    proxy_bind ${PROXY_SOURCE};`);
  return text;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

let fx: ClientCertificateFixtures;
let database: AppDb;
let app: FastifyInstance;
let appPort: number;
let nginx: NginxInstance;
let nginxPort: number;

/** curl through nginx (HTTPS, verifying nginx's certificate), optionally presenting a client certificate. */
async function viaNginx(path: string, client?: ClientFixture, extraArgs: string[] = []): Promise<Answer> {
  const args = ['--cacert', fx.rootFile, '--resolve', `localhost:${nginxPort}:127.0.0.1`, ...extraArgs];
  if (client !== undefined) args.push('--cert', client.certFile, '--key', client.keyFile);
  return request([...args, `https://localhost:${nginxPort}${path}`]);
}

async function request(args: string[]): Promise<Answer> {
  const result = await curl(['-sS', '--max-time', '10', '-w', '\n%{http_code}', ...args]);
  expect(result.status, result.stderr).toBe(0);
  const text = result.stdout.toString('utf8');
  const newline = text.lastIndexOf('\n');
  const bodyText = text.slice(0, newline);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    body = { text: bodyText };
  }
  return { status: Number(text.slice(newline + 1)), body };
}

beforeAll(async () => {
  fx = createClientCertificateFixtures();
  const denylist = join(fx.dir, 'denylist.txt');
  writeFileSync(denylist, `# revoked by fingerprint\n${fx.revokedByFingerprint.sha256}\n`);

  database = await postgresAppDb(inject('databaseUrl'));
  app = await buildApp({
    db: database.db,
    sessionSecret: SESSION_SECRET,
    passwordHasher: cheapHasher,
    kdfIterations: 2_000,
    trustedProxies: [PROXY_SOURCE],
    issuer: await loadIssuer({ certificateFile: fx.intermediateFile, keyFile: fx.intermediateKeyFile, keyPassphrase: undefined }),
    mtls: { clientCaFile: fx.caBundleFile, crlFiles: [fx.intermediateCrlFile], denylistFile: denylist },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  appPort = (app.server.address() as AddressInfo).port;
  await UserStore.create(database.db.withTables<AppTables>(), 'alice', await cheapHasher.hash('alice password'));

  nginxPort = await freePort();
  const legacyPort = await freePort();
  nginx = await startNginx({
    config: () =>
      testNginxConfig({ port: nginxPort, appPort, serverCert: fx.serverCertFile, serverKey: fx.serverKeyFile }) +
      // The deprecated variable, to show what the docs warn about.
      `
server {
    listen 127.0.0.1:${legacyPort} ssl;
    ssl_certificate ${fx.serverCertFile};
    ssl_certificate_key ${fx.serverKeyFile};
    ssl_verify_client optional_no_ca;
    location / {
        proxy_pass http://127.0.0.1:${appPort};
        proxy_bind ${PROXY_SOURCE};
        proxy_set_header X-Client-Cert $ssl_client_cert;
    }
}
`,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await app?.close();
  await database?.close();
  fx?.cleanup();
});

describe('GET /mtls/whoami behind nginx (ssl_verify_client optional_no_ca, $ssl_client_escaped_cert)', () => {
  it('valid certificate: 200 with the whoami JSON of the contract', async () => {
    const { status, body } = await viaNginx('/mtls/whoami', fx.valid);
    expect(status).toBe(200);
    expect(body).toEqual({
      common_name: 'alice',
      issuer: 'ecp test intermediate',
      serial: fx.valid.serial,
      fingerprints: { 'SHA-1': fx.valid.sha1, 'SHA-256': fx.valid.sha256 },
      not_before: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      not_after: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      username: 'alice',
    });
  });

  it.each([
    ['expired', 'expired'],
    ['foreign', 'untrusted'],
    ['revokedByFingerprint', 'revoked'],
    ['revokedByCrl', 'revoked'],
    ['serverAuthOnly', 'eku'],
  ] as const)('%s certificate: 403 (%s)', async (name, reason) => {
    const { status, body } = await viaNginx('/mtls/whoami', fx[name]);
    expect(status).toBe(403);
    expect(body).toEqual({ error: expect.any(String), code: 'ECP_CERTIFICATE_PATH', reason });
  });

  it('no certificate: 400', async () => {
    const { status, body } = await viaNginx('/mtls/whoami');
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'a TLS client certificate is required', code: 'ECP_CLIENT_CERTIFICATE_REQUIRED' });
  });

  it('a valid certificate whose CN is no registered user: 200, username null', async () => {
    const stranger = fx.issueClient('stranger', 'nobody-registered');
    const { status, body } = await viaNginx('/mtls/whoami', stranger);
    expect(status).toBe(200);
    expect(body).toMatchObject({ common_name: 'nobody-registered', username: null });
  });
});

describe('forged X-Client-Cert headers', () => {
  const forged = () => ['-H', `X-Client-Cert: ${encodeURIComponent(fx.valid.certPem)}`];

  it('sent straight to the app by an untrusted client: ignored (400, no certificate)', async () => {
    const { status, body } = await request([...forged(), `http://127.0.0.1:${appPort}/mtls/whoami`]);
    expect(status).toBe(400);
    expect(body.code).toBe('ECP_CLIENT_CERTIFICATE_REQUIRED');
  });

  it('sent to nginx without a certificate: nginx drops it (400)', async () => {
    const { status, body } = await viaNginx('/mtls/whoami', undefined, forged());
    expect(status).toBe(400);
    expect(body.code).toBe('ECP_CLIENT_CERTIFICATE_REQUIRED');
  });

  it('sent to nginx twice beside a foreign certificate: nginx replaces it with the real one (403)', async () => {
    const { status, body } = await viaNginx('/mtls/whoami', fx.foreign, [...forged(), ...forged()]);
    expect(status).toBe(403);
    expect(body.reason).toBe('untrusted');
  });

  it('sent to nginx beside an expired certificate (handed on by error_page 495): replaced as well (403 expired)', async () => {
    const { status, body } = await viaNginx('/mtls/whoami', fx.expired, forged());
    expect(status).toBe(403);
    expect(body.reason).toBe('expired');
  });
});

describe('the documented caveat', () => {
  it("nginx's deprecated $ssl_client_cert never reaches the app: Node's HTTP parser refuses its folded lines", async () => {
    const legacyPort = nginx.ports.find((port) => port !== nginxPort) as number;
    const args = ['--cacert', fx.rootFile, '--resolve', `localhost:${legacyPort}:127.0.0.1`, '--cert', fx.valid.certFile, '--key', fx.valid.keyFile];
    const { status, body } = await request([...args, `https://localhost:${legacyPort}/mtls/whoami`]);
    expect(status).toBe(400);
    // Not the preHandler's JSON: the request never got to a route.
    expect(body.code).toBeUndefined();
  });
});

describe('CA mode: one credentials.p12 for both factors', () => {
  it('logs in with a signed nonce and passes nginx mTLS with curl --cert credentials.p12 --cert-type P12', async () => {
    const username = 'carol';
    const passphrase = 'p12 passphrase';
    const browser = new Browser(app);
    const registered = await browser.post('/register', { username, password: 'carol password', key_password: passphrase });
    expect(registered.statusCode, registered.body).toBe(201);
    const download = await browser.get('/ecp/keys?file=pkcs12');
    expect(download.statusCode).toBe(200);
    const p12File = join(fx.dir, 'credentials.p12');
    writeFileSync(p12File, download.rawPayload);

    // OpenSSL reads it (modern PBES2/AES, as browsers and OS key stores need): the user's key,
    // the user's certificate issued by the configured CA, and that CA certificate.
    const certs = opensslOk(['pkcs12', '-in', p12File, '-passin', `pass:${passphrase}`, '-nokeys']).stdout.toString('utf8');
    expect(certs.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(certs).toContain(`subject=CN = ${username}`);
    expect(certs).toContain('issuer=O = ecp tests, CN = ecp test intermediate');
    const keyPem = opensslOk(['pkcs12', '-in', p12File, '-passin', `pass:${passphrase}`, '-nocerts', '-nodes']).stdout.toString('utf8');

    // Factor 1 + 2: password and a nonce signed with the key from the .p12.
    const client = new Browser(app);
    const challenge = (await client.get('/ecp/challenge')).json<{ nonce: string; nonce_id: string }>();
    const signature = sign('sha256', Buffer.from(challenge.nonce), createPrivateKey(keyPem)).toString('hex');
    const login = await client.post('/login', { username, password: 'carol password', nonce_id: challenge.nonce_id, signature });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toEqual({ username });

    // The same file as the TLS client certificate through nginx.
    const { status, body } = await viaNginx('/mtls/whoami', undefined, ['--cert', `${p12File}:${passphrase}`, '--cert-type', 'P12']);
    expect(status).toBe(200);
    expect(body).toMatchObject({ common_name: username, issuer: 'ecp test intermediate', username });
  });
});

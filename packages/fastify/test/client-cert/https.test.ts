/**
 * Fastify serving HTTPS itself with `requestCert`: the certificate comes from the TLS socket,
 * presented by node's own https client. OpenSSL is told not to judge it
 * (`rejectUnauthorized: false`), so every verdict (and its JSON body) is the preHandler's.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificatePreHandler } from '../../src/client-cert/index.js';
import { createClientCertificateFixtures, type ClientCertificateFixtures, type ClientFixture } from './fixtures.js';

let fx: ClientCertificateFixtures;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  fx = createClientCertificateFixtures();
  const guard = createClientCertificatePreHandler({
    trustAnchors: [fx.rootPem],
    intermediates: [fx.intermediatePem],
    crlFiles: [fx.intermediateCrlFile],
    mapUser: 'cn',
  });
  app = Fastify({
    https: {
      key: readFileSync(fx.serverKeyFile),
      cert: readFileSync(fx.serverCertFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
  });
  app.get('/whoami', { preHandler: guard }, async (req) => ({
    common_name: req.clientCertificate?.commonName,
    serial: req.clientCertificate?.serial,
    username: req.clientCertificateUser,
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  fx?.cleanup();
});

function get(client: ClientFixture | undefined, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/whoami',
        servername: 'localhost',
        ca: fx.rootPem,
        headers,
        agent: false,
        ...(client === undefined ? {} : { cert: client.certPem, key: readFileSync(client.keyFile) }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('client certificates over Fastify HTTPS (requestCert)', () => {
  it('accepts a valid certificate from the TLS handshake', async () => {
    const { status, body } = await get(fx.valid);
    expect(status).toBe(200);
    expect(body).toEqual({ common_name: 'alice', serial: fx.valid.serial, username: 'alice' });
  });

  it('answers 400 when the client sends no certificate', async () => {
    const { status, body } = await get(undefined);
    expect(status).toBe(400);
    expect(body.code).toBe('ECP_CLIENT_CERTIFICATE_REQUIRED');
  });

  it('answers 403 for an expired, a foreign and a revoked certificate', async () => {
    expect(await get(fx.expired)).toMatchObject({ status: 403, body: { reason: 'expired' } });
    expect(await get(fx.foreign)).toMatchObject({ status: 403, body: { reason: 'untrusted' } });
    expect(await get(fx.revokedByCrl)).toMatchObject({ status: 403, body: { reason: 'revoked' } });
  });

  it('ignores an X-Client-Cert header from the TLS client: the socket decides', async () => {
    const forged = { 'x-client-cert': encodeURIComponent(fx.valid.certPem) };
    expect((await get(undefined, forged)).status).toBe(400);
    expect(await get(fx.expired, forged)).toMatchObject({ status: 403, body: { reason: 'expired' } });
  });
});

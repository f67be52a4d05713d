/** `fastify.ecp.clientCertificate(options)`: the preHandler through the plugin, with the plugin's trusted proxies. */
import Fastify, { type FastifyInstance } from 'fastify';
import type {} from '@ecp/testkit/postgres-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ecpFastify } from '../../src/index.js';
import { postgresDb, type TestDb } from '../helpers/databases.js';
import { SESSION_SECRET } from '../helpers/server.js';
import { TestUsers } from '../helpers/users.js';
import { createClientCertificateFixtures, type ClientCertificateFixtures } from './fixtures.js';

let fx: ClientCertificateFixtures;
let database: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  fx = createClientCertificateFixtures();
  database = await postgresDb(inject('databaseUrl'))();
  app = Fastify();
  await app.register(ecpFastify, { db: database.db, users: new TestUsers(), session: { secret: SESSION_SECRET }, trustedProxies: ['127.0.0.2'] });
  const mtls = app.ecp.clientCertificate({ trustAnchors: [fx.rootPem], intermediates: [fx.intermediatePem], mapUser: 'cn' });
  app.get('/mtls', { preHandler: mtls }, async (request) => ({ cn: request.clientCertificate?.commonName, user: request.clientCertificateUser }));
  app.get('/plain', async (request) => ({ certificate: request.clientCertificate, user: request.clientCertificateUser }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  fx?.cleanup();
});

describe('fastify.ecp.clientCertificate', () => {
  const header = () => ({ 'x-client-cert': encodeURIComponent(fx.valid.certPem) });

  it("believes the header from the plugin's trusted proxies by default", async () => {
    const response = await app.inject({ url: '/mtls', remoteAddress: '127.0.0.2', headers: header() });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ cn: 'alice', user: 'alice' });
  });

  it('ignores it from anyone else', async () => {
    const response = await app.inject({ url: '/mtls', remoteAddress: '127.0.0.1', headers: header() });
    expect(response.statusCode).toBe(400);
  });

  it('leaves request.clientCertificate null on routes without the preHandler', async () => {
    const response = await app.inject({ url: '/plain', remoteAddress: '127.0.0.2', headers: header() });
    expect(response.json()).toEqual({ certificate: null, user: null });
  });
});

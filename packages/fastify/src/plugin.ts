/**
 * The @ecp/fastify plugin: signed-nonce login (the key-file second factor) for Fastify 5.
 *
 * Wrapped with fastify-plugin so that `fastify.ecp`, `request.ecpUser`, the session and the
 * urlencoded body parser reach the application's scope (its register and login routes need
 * them); the HTTP routes themselves live in an encapsulated child scope under `prefix`.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { clientIp } from './client-ip.js';
import { createDecorator } from './decorator.js';
import { Enrolment } from './enrolment.js';
import { addFormParser } from './form-body.js';
import { resolveOptions, type EcpPluginOptions } from './options.js';
import { PublicKeyCache } from './public-key-cache.js';
import { ecpRoutes } from './routes/index.js';
import { registerSessions } from './session.js';
import { CertificateStore, NonceStore } from './storage/index.js';
import './types.js';

async function ecpPlugin(fastify: FastifyInstance, rawOptions: EcpPluginOptions): Promise<void> {
  const options = resolveOptions(rawOptions);
  const enrolment = new Enrolment(options);
  const nonces = new NonceStore(options.db, { lifetimeMs: options.nonceLifetime });
  const certificates = new CertificateStore(options.db);

  addFormParser(fastify, options.formBodyLimit);
  await registerSessions(fastify, options);

  const closers: Array<() => void> = [];
  const ecp = createDecorator({
    prefix: options.prefix,
    db: options.db,
    users: options.users,
    nonces,
    certificates,
    publicKeys: new PublicKeyCache(),
    trustedProxies: options.trustedProxies,
    enrolment,
    onClose: (stop) => closers.push(stop),
  });
  fastify.decorateRequest('ecpUser', null);
  // Declared up front so every request has the same shape (set by the client-certificate preHandler).
  fastify.decorateRequest('clientCertificate', null);
  fastify.decorateRequest('clientCertificateUser', null);
  fastify.addHook('onClose', async () => {
    for (const stop of closers.splice(0)) stop();
  });
  fastify.decorate('ecp', ecp);

  await fastify.register(
    async (scope) =>
      ecpRoutes(scope, {
        nonces,
        certificates,
        rateLimit: options.rateLimit,
        db: options.db,
        clientIp: (request) => clientIp(request, options.trustedProxies),
        saveCertificate: ecp.saveCertificate,
      }),
    { prefix: options.prefix },
  );
}

export const ecpFastify = fp(ecpPlugin, { name: '@ecp/fastify', fastify: '5.x' });
export default ecpFastify;

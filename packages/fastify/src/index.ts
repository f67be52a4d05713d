/**
 * @ecp/fastify: signed-nonce login (the key-file second factor) for Fastify 5, with its
 * storage on Kysely (PostgreSQL or embedded PGlite).
 *
 * ```ts
 * await app.register(ecpFastify, { db, users, session: { secret } });
 * app.post('/login', { preHandler: app.ecp.loginPreHandler }, async (request) => ({ username: request.ecpUser!.username }));
 * ```
 */
export { ecpFastify, ecpFastify as default } from './plugin.js';
export {
  DEFAULTS,
  EcpOptionsError,
  type EcpIssuerOptions,
  type EcpPluginOptions,
  type EcpRateLimitOptions,
  type EcpSessionOptions,
  type EcpUser,
  type EcpUserAdapter,
} from './options.js';
export type { EcpDecorator, EcpPreHandler, EnrolResult, SaveOptions } from './decorator.js';
export type { Credentials } from './enrolment.js';
export { MAX_CSR_LENGTH, MAX_PASSPHRASE_LENGTH, MAX_USERNAME_LENGTH } from './enrolment.js';
export { MAX_CERTIFICATE_UPLOAD_BYTES } from './certificate-upload.js';
export type { ChallengeResponse } from './routes/challenge.js';
export type { EcpDownloads, EcpEnrolmentSession } from './types.js';
export {
  ecpErrorHandler,
  EcpHttpError,
  sendHttpError,
  toHttpError,
  type EcpErrorBody,
  type EcpHttpErrorCode,
} from './errors.js';
export { clientIp, parseTrustedProxies, rateLimitKey, trustProxyFunction, type TrustedProxies } from './client-ip.js';
export * from './client-cert/index.js';
export { parseForm, type FormBody } from './form-body.js';
export * from './storage/index.js';

/** What the route modules share: the stores and the settings they need, nothing else. */
import type { FastifyRequest } from 'fastify';
import type { EcpDecorator } from '../decorator.js';
import type { CertificateStore, EcpTables, NonceStore } from '../storage/index.js';
import type { Kysely } from 'kysely';

export interface RouteDependencies {
  nonces: NonceStore;
  certificates: CertificateStore;
  rateLimit: { max: number; timeWindow: number | string; store: 'memory' | 'database' };
  /** The database, for the rate-limit store when `rateLimit.store` is `'database'`. */
  db: Kysely<EcpTables>;
  clientIp(request: FastifyRequest): string;
  saveCertificate: EcpDecorator['saveCertificate'];
}

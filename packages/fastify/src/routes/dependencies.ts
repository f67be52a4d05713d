/** What the route modules share: the stores and the settings they need, nothing else. */
import type { FastifyRequest } from 'fastify';
import type { EcpDecorator } from '../decorator.js';
import type { CertificateStore, NonceStore } from '../storage/index.js';

export interface RouteDependencies {
  nonces: NonceStore;
  certificates: CertificateStore;
  rateLimit: { max: number; timeWindow: number | string };
  clientIp(request: FastifyRequest): string;
  saveCertificate: EcpDecorator['saveCertificate'];
}

/**
 * `GET <prefix>/challenge`: a fresh single-use nonce, rate-limited per client IP (the IP
 * from `X-Forwarded-For` only when the peer is a trusted proxy; IPv6 clients per /64;
 * see client-ip.ts).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { rateLimitKey } from '../client-ip.js';
import { EcpHttpError } from '../errors.js';
import { databaseRateLimitStore } from '../storage/index.js';
import { EcpOptionsError } from '../options.js';
import type { RouteDependencies } from './dependencies.js';

export interface ChallengeResponse {
  nonce: string;
  nonce_id: string;
  expires_at: string;
}

export async function challengeRoute(scope: FastifyInstance, deps: RouteDependencies): Promise<void> {
  // Registered in the routes' own (encapsulated) scope with global: false, so it limits
  // nothing of the application's; if the app registered it already, its instance is reused,
  // unless hits are to be counted in the database, which needs a registration of our own.
  const shared = deps.rateLimit.store === 'database';
  if (scope.hasDecorator('rateLimit')) {
    if (shared) {
      throw new EcpOptionsError(
        '`rateLimit.store: "database"` needs to register @fastify/rate-limit itself; the application registered it already (give it `store: databaseRateLimitStore(db)` instead)',
      );
    }
  } else {
    await scope.register(rateLimit, { global: false, ...(shared && { store: databaseRateLimitStore(deps.db) }) });
  }
  const limiter = scope.rateLimit({
    max: deps.rateLimit.max,
    timeWindow: deps.rateLimit.timeWindow,
    // Namespaced, since a store the application shares may count other limits by IP too.
    keyGenerator: (request) => `ecp-challenge:${rateLimitKey(deps.clientIp(request))}`,
    errorResponseBuilder: (_request, context) =>
      new EcpHttpError(429, 'ECP_RATE_LIMITED', `too many challenges, retry in ${context.after}`),
  });

  scope.get('/challenge', { onRequest: limiter }, async (): Promise<ChallengeResponse> => {
    const issued = await deps.nonces.issue();
    return { nonce: issued.nonce, nonce_id: issued.id, expires_at: issued.expiresAt.toISOString() };
  });
}

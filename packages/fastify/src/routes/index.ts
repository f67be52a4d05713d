/**
 * The plugin's HTTP routes, in their own encapsulated scope (registered under the prefix):
 * their error handler, rate limiter and multipart parser stay out of the application's way.
 */
import type { FastifyInstance } from 'fastify';
import { sendHttpError, toHttpError } from '../errors.js';
import { certificateRoute } from './certificate.js';
import { challengeRoute } from './challenge.js';
import type { RouteDependencies } from './dependencies.js';
import { keysRoute } from './keys.js';

export async function ecpRoutes(scope: FastifyInstance, deps: RouteDependencies): Promise<void> {
  // Every failure of a plugin route is `{"error", "code"}`, whatever the application's handler does.
  scope.setErrorHandler((error, request, reply) => sendHttpError(toHttpError(error), request, reply));
  // Challenges, key files and upload answers are per-user and single-use: never cache them.
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  await challengeRoute(scope, deps);
  await keysRoute(scope);
  await certificateRoute(scope, deps);
}

/**
 * Sessions: @fastify/session with the PostgreSQL store, or the application's own
 * registration of it. The cookie is httpOnly and SameSite=Lax always, and Secure per
 * `cookieSecure` (see options.ts).
 *
 * `saveUninitialized: false` and `rolling: false`: a request that does not change its
 * session writes nothing, so anonymous traffic (every challenge) costs no session row, and
 * a logged-in request costs one read, not a read and a write.
 */
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULTS, EcpOptionsError, type EcpUser, type ResolvedOptions } from './options.js';
import { KyselySessionStore } from './storage/index.js';

export async function registerSessions(fastify: FastifyInstance, options: ResolvedOptions): Promise<void> {
  const registered = fastify.hasRequestDecorator('session');
  if (options.session === false) {
    if (!registered) {
      throw new EcpOptionsError('`session: false` but @fastify/session is not registered: register it before @ecp/fastify, or pass { secret }');
    }
    return;
  }
  if (registered) {
    throw new EcpOptionsError('@fastify/session is already registered: pass `session: false` to use it, or let the plugin register it');
  }
  if (!fastify.hasDecorator('parseCookie')) await fastify.register(fastifyCookie);
  const maxAge = options.session.maxAge ?? DEFAULTS.sessionMaxAge;
  await fastify.register(fastifySession, {
    secret: options.session.secret,
    cookieName: options.session.cookieName ?? DEFAULTS.sessionCookieName,
    store: options.session.store ?? new KyselySessionStore(options.db, { defaultTtlMs: maxAge }),
    saveUninitialized: false,
    rolling: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, maxAge },
  });
}

/** The session's user once both factors passed; null otherwise (or without a session). */
export function loggedInUser(request: FastifyRequest): EcpUser | null {
  return request.session?.ecpUser ?? null;
}

/**
 * Whoever the session belongs to: the logged-in user, or the user who just registered and
 * may still download key files or upload a certificate.
 */
export function sessionIdentity(request: FastifyRequest): EcpUser | null {
  const session = request.session;
  if (session === null || session === undefined) return null;
  return session.ecpUser ?? session.ecpEnrolment?.user ?? null;
}

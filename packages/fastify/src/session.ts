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
import { randomString } from './random-pool.js';
import { DEFAULTS, EcpOptionsError, type EcpUser, type ResolvedOptions } from './options.js';
import { KyselySessionStore } from './storage/index.js';

/** 24 random bytes, as @fastify/session's own generator makes them. */
const SESSION_ID_BYTES = 24;

/** The id our generator made for each request's session, to tell made-here sessions from brought ones. */
const idsMadeForRequest = new WeakMap<FastifyRequest, string>();

/** Every request gets a session object, anonymous ones too, so ids come from the pooled random bytes. */
export function generateSessionId(request?: FastifyRequest): string {
  const id = randomString(SESSION_ID_BYTES, 'base64url');
  if (request !== undefined) idsMadeForRequest.set(request, id);
  return id;
}

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
    idGenerator: generateSessionId,
    saveUninitialized: false,
    rolling: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, maxAge },
  });
}

/**
 * True when the request's session was made during this request (no session cookie came in,
 * or it named no live session), by the plugin's registration of @fastify/session: its id was
 * generated here and has been sent to nobody, so there is nothing to fixate and regenerating
 * it would only cost a DELETE and an INSERT. False for a session the client brought, and
 * always when the application registered @fastify/session itself (we cannot tell then).
 */
export function isSessionMadeThisRequest(request: FastifyRequest): boolean {
  const id = request.session?.sessionId;
  return typeof id === 'string' && idsMadeForRequest.get(request) === id;
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

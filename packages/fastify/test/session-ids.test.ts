/** The plugin's session ids, and how a login tells a session made by its own request from a brought one. */
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { generateSessionId, isSessionMadeThisRequest } from '../src/session.js';

const requestWithSession = (sessionId: string | undefined): FastifyRequest =>
  ({ session: sessionId === undefined ? undefined : { sessionId } }) as unknown as FastifyRequest;

describe('session ids', () => {
  it('are 24 random bytes in base64url, never repeated across pool refills', () => {
    // 1 000 ids span several refills of the 128-id pool.
    const ids = Array.from({ length: 1_000 }, () => generateSessionId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('mark a session as made by this request only when its id is the one made for it', () => {
    const fresh = requestWithSession(undefined);
    const id = generateSessionId(fresh);
    (fresh as unknown as { session: { sessionId: string } }).session = { sessionId: id };
    expect(isSessionMadeThisRequest(fresh)).toBe(true);

    // A session restored from the client's cookie: its id was not generated for this request.
    const brought = requestWithSession('an id from a cookie');
    generateSessionId(brought);
    expect(isSessionMadeThisRequest(brought)).toBe(false);
    expect(isSessionMadeThisRequest(requestWithSession('never generated'))).toBe(false);
    expect(isSessionMadeThisRequest(requestWithSession(undefined))).toBe(false);
  });
});

/**
 * Errors the plugin answers HTTP requests with, and the one place that turns any error met
 * by a plugin route into the contract's body: `{"error": "<message>", "code": "<CODE>"}`.
 */
import { EcpError, type EcpErrorCode } from '@ecp/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from './storage/index.js';

/** Every code an HTTP answer of the plugin can carry (the union lives in @ecp/core). */
export type EcpHttpErrorCode = EcpErrorCode;

/** The JSON body of every error answer. */
export interface EcpErrorBody {
  error: string;
  code: EcpHttpErrorCode;
}

/** An error that already knows its HTTP status and its public message. */
export class EcpHttpError extends EcpError {
  readonly statusCode: number;

  constructor(statusCode: number, code: EcpHttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, code, options);
    this.statusCode = statusCode;
  }

  toBody(): EcpErrorBody {
    return { error: this.message, code: this.code };
  }
}

/** The one 401 a login answers, whichever factor failed (its body is byte-identical every time). */
export const authFailed = (): EcpHttpError => new EcpHttpError(401, 'ECP_AUTH_FAILED', 'invalid credentials');

export const unauthenticated = (): EcpHttpError =>
  new EcpHttpError(401, 'ECP_UNAUTHENTICATED', 'no session: register or log in first');

export const badRequest = (message: string, code: EcpHttpErrorCode = 'ECP_BAD_REQUEST'): EcpHttpError =>
  new EcpHttpError(400, code, message);

export const databaseUnavailable = (cause?: unknown): EcpHttpError =>
  new EcpHttpError(503, 'ECP_DB_UNAVAILABLE', 'the database is unavailable, try again later', { cause });

/**
 * Maps any error to a status and the contract's body. Messages of unexpected errors are
 * never passed on (they may carry SQL or internals); those are logged by the caller.
 */
export function toHttpError(error: unknown): EcpHttpError {
  if (error instanceof EcpHttpError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  if (error instanceof EcpError) {
    // Core errors reaching a route come from parsing what the client sent.
    return new EcpHttpError(400, error.code, error.message, { cause: error });
  }
  const fastifyError = error as Partial<FastifyError> | null;
  const status = typeof fastifyError?.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status === 413) return new EcpHttpError(413, 'ECP_INPUT_TOO_LARGE', 'request body is too large', { cause: error });
  if (status === 429) return new EcpHttpError(429, 'ECP_RATE_LIMITED', 'too many requests, try again later', { cause: error });
  if (status >= 400 && status < 500 && typeof fastifyError?.message === 'string') {
    // Fastify's own 4xx (malformed JSON, unsupported media type...) describe the request, not the server.
    return new EcpHttpError(status, 'ECP_BAD_REQUEST', fastifyError.message, { cause: error });
  }
  return new EcpHttpError(500, 'ECP_INTERNAL', 'internal error', { cause: error });
}

/**
 * A Fastify error handler that answers ecp errors (and database outages) with the contract's
 * `{error, code}` body and hands every other error on to the parent scope's handler.
 * Install it on routes that use `loginPreHandler` or `requireUser` if the app has no
 * handler of its own that knows {@link EcpHttpError}:
 * `app.setErrorHandler(ecpErrorHandler)`.
 */
export function ecpErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof EcpHttpError || isDatabaseUnavailable(error)) return sendHttpError(toHttpError(error), request, reply);
  // reply.send(error) inside an error handler reaches the next handler up the chain.
  return reply.send(error);
}

/** Sends `error` with the contract's body; server-side failures are logged with their cause. */
export function sendHttpError(error: EcpHttpError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error }, error.message);
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(error.toBody());
}

/**
 * `POST <prefix>/certificate`: replace the session user's login certificate. The
 * certificate comes as the multipart field `certificate` (a file part or a plain field),
 * or as `{"certificate": "<PEM>"}` in a JSON or urlencoded body.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_CERTIFICATE_UPLOAD_BYTES, validateUploadedCertificate } from '../certificate-upload.js';
import { badRequest, sendHttpError, toHttpError, unauthenticated } from '../errors.js';
import { sessionIdentity } from '../session.js';
import type { RouteDependencies } from './dependencies.js';

const FIELD = 'certificate';
/** busboy limits: one file, a few fields, nothing large. */
const MULTIPART_LIMITS = {
  fileSize: MAX_CERTIFICATE_UPLOAD_BYTES,
  // One more than allowed, so an oversized text field shows up as too long rather than as truncated.
  fieldSize: MAX_CERTIFICATE_UPLOAD_BYTES + 1,
  files: 1,
  fields: 8,
  parts: 9,
  headerPairs: 32,
};

export async function certificateRoute(scope: FastifyInstance, deps: RouteDependencies): Promise<void> {
  // In the routes' encapsulated scope: the application's other routes do not get multipart.
  if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart, { limits: MULTIPART_LIMITS });

  scope.post('/certificate', { bodyLimit: BODY_LIMIT, errorHandler: oversizedIs400 }, async (request) => {
    const user = sessionIdentity(request);
    if (user === null) throw unauthenticated();
    const input = request.isMultipart() ? await readMultipart(request) : readBody(request.body);
    const certificate = validateUploadedCertificate(input, user.username);
    await deps.saveCertificate(user.id, certificate);
    return { status: 'ok' };
  });
}

function readBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[FIELD];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('"certificate" must be a PEM string');
  return value;
}

async function readMultipart(request: FastifyRequest): Promise<string | Uint8Array | undefined> {
  let found: string | Uint8Array | undefined;
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'file') {
        // Every file part must be drained, or the request never ends.
        const content = await part.toBuffer();
        if (part.fieldname === FIELD) found = claim(found, content);
      } else if (part.fieldname === FIELD) {
        if (typeof part.value !== 'string') throw badRequest('"certificate" must be PEM text');
        if (part.valueTruncated || Buffer.byteLength(part.value) > MAX_CERTIFICATE_UPLOAD_BYTES) throw tooLarge();
        found = claim(found, part.value);
      }
    }
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge();
    throw error;
  }
  return found;
}

function claim(found: string | Uint8Array | undefined, value: string | Uint8Array): string | Uint8Array {
  if (found !== undefined) throw badRequest('send one "certificate" field');
  return value;
}

/** JSON or form bodies: a certificate plus JSON overhead; larger bodies are refused unread. */
const BODY_LIMIT = 64 * 1024;

/** Fastify and @fastify/multipart answer "too large" with 413; the contract says 400 here. */
const isTooLarge = (error: unknown): boolean => (error as { statusCode?: unknown } | null)?.statusCode === 413;

function oversizedIs400(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendHttpError(isTooLarge(error) ? tooLarge() : toHttpError(error), request, reply);
}

const tooLarge = () => badRequest(`the certificate is larger than ${MAX_CERTIFICATE_UPLOAD_BYTES} bytes`, 'ECP_INPUT_TOO_LARGE');

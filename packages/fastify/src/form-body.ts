/**
 * `application/x-www-form-urlencoded` bodies, which HTML forms and `curl -d` send. A dozen
 * lines over URLSearchParams do what @fastify/formbody would, without a dependency.
 */
import type { FastifyInstance } from 'fastify';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** Default body limit of form posts: ample for a CSR or a certificate PEM plus a few fields. */
export const DEFAULT_FORM_BODY_LIMIT = 64 * 1024;
/** More fields than any ecp form has; more is not a form but an attempt to make work. */
const MAX_FORM_FIELDS = 64;

/** A parsed form: one string per field, or a list when the field was repeated. */
export type FormBody = Record<string, string | string[]>;

/** Parses a urlencoded body; throws a 400-shaped error on too many fields. */
export function parseForm(text: string): FormBody {
  const body: FormBody = Object.create(null) as FormBody;
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_FORM_FIELDS) {
      throw Object.assign(new Error(`form has more than ${MAX_FORM_FIELDS} fields`), { statusCode: 400 });
    }
    const previous = body[key];
    if (previous === undefined) body[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else body[key] = [previous, value];
  }
  return body;
}

/**
 * Adds the form parser to `fastify` unless a parser for the type is already there (the app
 * may have registered @fastify/formbody; its parser then wins).
 */
export function addFormParser(fastify: FastifyInstance, bodyLimit: number): void {
  if (fastify.hasContentTypeParser(FORM_CONTENT_TYPE)) return;
  fastify.addContentTypeParser(FORM_CONTENT_TYPE, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * The few HTTP calls the SDK makes: JSON in, JSON out, same-origin cookies, and every
 * failure turned into one of the typed errors of http-errors.ts.
 */
import {
  NetworkError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  UsernameTakenError,
  type EcpHttpClientError,
} from './http-errors.js';

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Answers of the plugin and the example app are a few kilobytes (a certificate at most). */
const MAX_RESPONSE_LENGTH = 256 * 1024;

/**
 * `baseUrl` + `path`. An empty or absent baseUrl leaves the path relative, which a page
 * resolves against its own origin.
 */
export const endpoint = (baseUrl: string | undefined, path: string): string => (baseUrl ?? '').replace(/\/+$/, '') + path;

/**
 * GET (no body) or POST (JSON body) `url`; resolves to the string fields of a 2xx JSON answer
 * and throws a typed error for anything else. A 401 becomes `onUnauthorized`'s error.
 */
export async function requestJson(
  fetchFunction: FetchFunction,
  url: string,
  body: Record<string, string> | undefined,
  onUnauthorized: (serverCode?: string) => EcpHttpClientError,
): Promise<Record<string, unknown>> {
  let response: Response;
  let text: string;
  try {
    response = await fetchFunction(url, {
      // The session cookie is set by POST /login and must come back with later requests.
      credentials: 'same-origin',
      ...(body && { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    text = await response.text();
  } catch (error) {
    throw new NetworkError(error);
  }
  const { status } = response;
  let json: unknown;
  try {
    if (text.length <= MAX_RESPONSE_LENGTH) json = JSON.parse(text);
  } catch {
    // not JSON: handled below
  }
  const fields = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  if (response.ok) {
    if (!json) throw new ServerError(status);
    return fields;
  }
  if (status === 401) throw onUnauthorized(code);
  if (status === 429) {
    const seconds = parseInt(response.headers.get('retry-after') ?? '', 10);
    throw new RateLimitedError(seconds >= 0 ? seconds : undefined);
  }
  if (status === 409) throw new UsernameTakenError(code);
  if (status < 500 && status >= 400) {
    // The server's message explains the refusal (bad CSR, username rules...).
    throw new RequestRejectedError(typeof fields.error === 'string' ? fields.error : `the server refused the request (HTTP ${status})`, status, code);
  }
  throw new ServerError(status, code);
}

/** A string field of a success answer, or a ServerError: the answer is not what the route promises. */
export function stringField(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string') throw new ServerError(200);
  return value;
}

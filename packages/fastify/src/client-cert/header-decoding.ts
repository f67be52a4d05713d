/**
 * Turns the value of a client-certificate header, as TLS-terminating proxies write it, into
 * the certificate's DER. Nothing here decides whether the header may be believed (that is
 * `sources.ts`, by the TCP peer) or whether the certificate is any good (the path validator).
 *
 * Encodings, all single-line because HTTP/1.1 header values cannot fold:
 * - URL-encoded PEM: nginx `$ssl_client_escaped_cert`, AWS ALB `X-Amzn-Mtls-Clientcert`,
 *   CloudFront. Percent-decoding only: a literal `+` is base64, never a space (ALB leaves
 *   `+`, `/` and `=` unescaped, so form-decoding would corrupt the certificate).
 * - Single-line base64 DER: HAProxy `ssl_c_der,base64`, Cloudflare, Traefik (which also
 *   URL-escapes it and may append the client's chain after commas; the leaf comes first).
 * - RFC 9440 `Client-Cert: :<base64 DER>:` (a structured-field byte sequence).
 * - Envoy `x-forwarded-client-cert`: `By=...;Hash=...;Cert="<URL-encoded PEM>",...`; the
 *   element the trusted proxy appended is the last one, earlier ones came from further out.
 */
import { decodePemBlocks, fromBase64, InputTooLargeError, MalformedInputError } from '@ecp/core';

/** Bound on a header value: a certificate is 0.5-3 KB of DER, about 4 KB once PEM and escaped. */
export const MAX_CERTIFICATE_HEADER_LENGTH = 16 * 1024;

export const CERTIFICATE_HEADER_FORMATS = ['auto', 'pem-urlencoded', 'base64-der', 'rfc9440', 'envoy-xfcc'] as const;

/**
 * How the header is encoded. `'auto'` (the default) recognises each format by its shape,
 * which is unambiguous: RFC 9440 is wrapped in colons, Envoy's is `key=value;` pairs, a PEM
 * has `-----BEGIN` (escaped or not), and anything else must be plain base64.
 */
export type CertificateHeaderFormat = (typeof CERTIFICATE_HEADER_FORMATS)[number];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const RFC9440 = /^:([A-Za-z0-9+/]+={0,2}):$/;
/** An Envoy element starts with one of its keys (case-insensitive in Envoy's own parser). */
const XFCC_START = /^(by|hash|cert|chain|subject|uri|dns)=/i;
const PEM_BEGIN = /^(?:-----BEGIN|%2D%2D%2D%2D%2DBEGIN)/i;

/**
 * The leaf certificate's DER from a header value, or `null` when the value says "no
 * certificate" (empty, or an Envoy element without `Cert`). Throws {@link InputTooLargeError}
 * over {@link MAX_CERTIFICATE_HEADER_LENGTH} and {@link MalformedInputError} for anything
 * that is not one of the encodings; the DER itself is parsed later.
 */
export function decodeCertificateHeader(value: string, format: CertificateHeaderFormat = 'auto'): Uint8Array | null {
  if (value.length > MAX_CERTIFICATE_HEADER_LENGTH) throw new InputTooLargeError('the client-certificate header', MAX_CERTIFICATE_HEADER_LENGTH);
  const text = value.trim();
  if (text.length === 0) return null;
  switch (format === 'auto' ? detectFormat(text) : format) {
    case 'rfc9440':
      return decodeRfc9440(text);
    case 'envoy-xfcc':
      return decodeEnvoyXfcc(text);
    case 'pem-urlencoded':
      return decodeUrlEncodedPem(text);
    case 'base64-der':
      return decodeBase64Der(text);
    default:
      throw new MalformedInputError(`unknown client-certificate header format "${String(format)}"`);
  }
}

function detectFormat(text: string): Exclude<CertificateHeaderFormat, 'auto'> {
  if (text.startsWith(':')) return 'rfc9440';
  if (XFCC_START.test(text)) return 'envoy-xfcc';
  if (PEM_BEGIN.test(text)) return 'pem-urlencoded';
  return 'base64-der';
}

function decodeRfc9440(text: string): Uint8Array {
  const match = RFC9440.exec(text);
  if (match === null) throw new MalformedInputError('the client-certificate header is not an RFC 9440 byte sequence (:<base64>:)');
  return strictBase64(match[1] as string);
}

/** Percent-decoding only: `+` stays `+`. A bad escape or invalid UTF-8 is malformed. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MalformedInputError('the client-certificate header has an invalid percent-escape');
  }
}

function decodeUrlEncodedPem(text: string): Uint8Array {
  const pem = percentDecode(text);
  // The first CERTIFICATE block is the leaf; a proxy that forwards the chain puts it after.
  const block = decodePemBlocks(pem, MAX_CERTIFICATE_HEADER_LENGTH).find((candidate) => candidate.label === 'CERTIFICATE');
  if (block === undefined) throw new MalformedInputError('the client-certificate header holds no PEM CERTIFICATE block');
  return block.der;
}

function decodeBase64Der(text: string): Uint8Array {
  // Traefik escapes the base64 and lists the client's chain after the leaf, comma-separated.
  const decoded = percentDecode(text);
  const comma = decoded.indexOf(',');
  return strictBase64((comma === -1 ? decoded : decoded.slice(0, comma)).trim());
}

function strictBase64(text: string): Uint8Array {
  if (!BASE64.test(text)) throw new MalformedInputError('the client-certificate header is not base64');
  return fromBase64(text);
}

/**
 * Envoy's header: elements separated by commas, each a list of `key=value` pairs separated
 * by semicolons; a value may be a quoted string (which may hold `,` `;` `=` and `\"`).
 * Only the last element's `Cert` is used: the trusted proxy appended it.
 */
function decodeEnvoyXfcc(text: string): Uint8Array | null {
  const elements = splitXfcc(text);
  const last = elements[elements.length - 1];
  if (last === undefined) return null;
  const cert = last.get('cert');
  if (cert === undefined || cert.length === 0) return null;
  return decodeUrlEncodedPem(cert);
}

type XfccElement = Map<string, string>;

function splitXfcc(text: string): XfccElement[] {
  const elements: XfccElement[] = [];
  let element: XfccElement = new Map();
  let i = 0;
  for (;;) {
    // key
    const equals = text.indexOf('=', i);
    if (equals === -1) throw new MalformedInputError('the x-forwarded-client-cert header has a pair without "="');
    const key = text.slice(i, equals).trim().toLowerCase();
    if (!/^[a-z]+$/.test(key)) throw new MalformedInputError('the x-forwarded-client-cert header has an invalid key');
    i = equals + 1;
    // value: quoted (with backslash escapes) or bare up to the next separator
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) throw new MalformedInputError('the x-forwarded-client-cert header has an unterminated quoted value');
        i++;
        if (ch === '"') break;
        if (ch === '\\') {
          const escaped = text[i];
          if (escaped === undefined) throw new MalformedInputError('the x-forwarded-client-cert header ends inside an escape');
          value += escaped;
          i++;
        } else {
          value += ch;
        }
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== ';' && text[end] !== ',') end++;
      value = text.slice(i, end).trim();
      if (value.includes('"')) throw new MalformedInputError('the x-forwarded-client-cert header has a stray quote');
      i = end;
    }
    // A repeated key inside one element would let whoever wrote the first copy choose the certificate.
    if (element.has(key)) throw new MalformedInputError(`the x-forwarded-client-cert header repeats "${key}" in one element`);
    element.set(key, value);
    while (text[i] === ' ' || text[i] === '\t') i++;
    const separator = text[i];
    if (separator === undefined) break;
    i++;
    if (separator === ',') {
      elements.push(element);
      element = new Map();
    } else if (separator !== ';') {
      throw new MalformedInputError('the x-forwarded-client-cert header has text after a quoted value');
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  elements.push(element);
  return elements;
}

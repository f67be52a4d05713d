/**
 * Where a request's client certificate comes from, and when a header may be believed.
 *
 * - From a configured trusted proxy (by TCP peer address), only the header counts: the
 *   proxy terminated the client's TLS, and a certificate on the proxy's own connection to
 *   us (re-encrypted upstream) would be the proxy's, not the client's.
 * - From anyone else, the header is ignored entirely: a client that writes
 *   `X-Client-Cert` itself must not get past the check with someone else's certificate.
 *   If Fastify itself serves HTTPS with `requestCert`, the TLS peer certificate is used.
 */
import type { TLSSocket } from 'node:tls';
import { InputTooLargeError, MalformedInputError } from '@ecp/core';
import type { FastifyRequest } from 'fastify';
import type { TrustedProxies } from '../client-ip.js';
import { certificateMalformed, duplicateHeader, headerTooLarge } from './errors.js';
import { decodeCertificateHeader, MAX_CERTIFICATE_HEADER_LENGTH, type CertificateHeaderFormat } from './header-decoding.js';

export const DEFAULT_CERTIFICATE_HEADER = 'x-client-cert';

export interface CertificateSourceOptions {
  /** Lower-case header name, or null to read the TLS socket only. */
  header: string | null;
  headerFormat: CertificateHeaderFormat;
  trustedProxies: TrustedProxies;
}

export interface PresentedCertificate {
  der: Uint8Array;
  source: 'tls' | 'header';
}

/**
 * The DER the client presented, or null when it presented none (or only an untrusted
 * header). Throws a 400 `ClientCertificateError` for a header that is repeated, too large
 * or not a certificate encoding.
 */
export function presentedCertificate(request: FastifyRequest, options: CertificateSourceOptions): PresentedCertificate | null {
  const socket = request.raw.socket;
  if (options.header !== null && options.trustedProxies.has(socket?.remoteAddress)) {
    return fromHeader(request, options.header, options.headerFormat);
  }
  if (socket !== undefined && (socket as Partial<TLSSocket>).encrypted === true) return fromTlsSocket(socket as TLSSocket);
  return null;
}

function fromTlsSocket(socket: TLSSocket): PresentedCertificate | null {
  // With requestCert and rejectUnauthorized: false, OpenSSL hands over whatever the client
  // sent; judging it is our job. An empty object means no certificate was sent.
  const peer = socket.getPeerCertificate(true) as { raw?: Buffer } | null;
  const raw = peer?.raw;
  if (raw === undefined || raw.length === 0) return null;
  return { der: new Uint8Array(raw.buffer, raw.byteOffset, raw.length), source: 'tls' };
}

function fromHeader(request: FastifyRequest, header: string, format: CertificateHeaderFormat): PresentedCertificate | null {
  const value = headerValue(request, header);
  if (value === undefined) return null;
  let der: Uint8Array | null;
  try {
    der = decodeCertificateHeader(value, format);
  } catch (error) {
    if (error instanceof InputTooLargeError) throw headerTooLarge(header, MAX_CERTIFICATE_HEADER_LENGTH);
    if (error instanceof MalformedInputError) throw certificateMalformed(error.message, error);
    throw certificateMalformed(`the ${header} header cannot be decoded`, error);
  }
  return der === null ? null : { der, source: 'header' };
}

/**
 * The header's single value. Node joins repeated unknown headers with ", ", which for a
 * certificate would let an outer client prepend its own; so repeats are counted in
 * `rawHeaders` and refused.
 */
function headerValue(request: FastifyRequest, header: string): string | undefined {
  const value = request.headers[header];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw duplicateHeader(header);
  const raw = request.raw.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === header.length && name.toLowerCase() === header && ++seen > 1) throw duplicateHeader(header);
  }
  return value;
}

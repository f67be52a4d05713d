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
  /**
   * Whether each connection's peer is a trusted proxy, decided once per connection: a
   * socket's remote address never changes, and keep-alive connections from a proxy carry
   * many requests (the address check builds a SocketAddress each time).
   */
  peerVerdicts: WeakMap<object, boolean>;
}

/** What the client presented: DER from the TLS socket, or a header value still to decode. */
export type PresentedCertificate = { readonly source: 'tls'; readonly der: Uint8Array } | { readonly source: 'header'; readonly value: string };

/**
 * What the client presented, or null when it presented nothing we may believe (no TLS
 * certificate, no header, or a header from a peer that is not a trusted proxy). Throws a
 * 400 `ClientCertificateError` for a repeated header.
 */
export function presentedCertificate(request: FastifyRequest, options: CertificateSourceOptions): PresentedCertificate | null {
  const socket = request.raw.socket;
  if (options.header !== null && socket !== undefined && fromTrustedProxy(socket, options)) {
    const value = headerValue(request, options.header);
    return value === undefined ? null : { source: 'header', value };
  }
  if (socket !== undefined && (socket as Partial<TLSSocket>).encrypted === true) return fromTlsSocket(socket as TLSSocket);
  return null;
}

function fromTrustedProxy(socket: { remoteAddress?: string | undefined }, options: CertificateSourceOptions): boolean {
  let trusted = options.peerVerdicts.get(socket);
  if (trusted === undefined) {
    trusted = options.trustedProxies.has(socket.remoteAddress);
    // An address not known yet (a socket being torn down) is not remembered.
    if (socket.remoteAddress !== undefined) options.peerVerdicts.set(socket, trusted);
  }
  return trusted;
}

function fromTlsSocket(socket: TLSSocket): PresentedCertificate | null {
  // With requestCert and rejectUnauthorized: false, OpenSSL hands over whatever the client
  // sent; judging it is our job. An empty object means no certificate was sent.
  const peer = socket.getPeerCertificate(true) as { raw?: Buffer } | null;
  const raw = peer?.raw;
  if (raw === undefined || raw.length === 0) return null;
  return { source: 'tls', der: new Uint8Array(raw.buffer, raw.byteOffset, raw.length) };
}

/**
 * The DER of a header value, or null when it says "no certificate". Throws a 400
 * `ClientCertificateError` for a value that is too large or not a certificate encoding.
 */
export function decodeHeaderValue(value: string, header: string, format: CertificateHeaderFormat): Uint8Array | null {
  try {
    return decodeCertificateHeader(value, format);
  } catch (error) {
    if (error instanceof InputTooLargeError) throw headerTooLarge(header, MAX_CERTIFICATE_HEADER_LENGTH);
    if (error instanceof MalformedInputError) throw certificateMalformed(error.message, error);
    throw certificateMalformed(`the ${header} header cannot be decoded`, error);
  }
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

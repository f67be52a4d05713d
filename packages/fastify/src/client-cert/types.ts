/**
 * What the client-certificate preHandler adds to a request, and how an application types
 * the user it maps certificates to (declaration merging, as @fastify/jwt does):
 *
 * ```ts
 * declare module '@ecp/fastify' {
 *   interface ClientCertificateUserTypes { user: MyUser }
 * }
 * ```
 */
import type { Certificate } from '@ecp/core';

/** The accepted client certificate, as routes see it in `request.clientCertificate`. */
export interface ClientCertificate {
  /** Subject common name (null when the subject has none). */
  readonly commonName: string | null;
  /** Issuer common name (null when the issuer name has none). */
  readonly issuer: string | null;
  /** Serial number, lower-case hex without a sign octet. */
  readonly serial: string;
  /** `AA:BB:...` over the DER, as `openssl x509 -fingerprint` prints them. */
  readonly fingerprints: { readonly 'SHA-1': string; readonly 'SHA-256': string };
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The parsed certificate (subject and issuer names, extensions, key). */
  readonly certificate: Certificate;
  /** The validated path: this certificate first, the trust anchor last. */
  readonly path: readonly Certificate[];
}

/** Augment with `{ user: YourUser }` to type `request.clientCertificateUser`. */
export interface ClientCertificateUserTypes {}

export type ClientCertificateUser = ClientCertificateUserTypes extends { user: infer User } ? User : unknown;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the client-certificate preHandler once the certificate is accepted; null before. */
    clientCertificate: ClientCertificate | null;
    /** The user the certificate maps to (`mapUser`), or null without a mapping. */
    clientCertificateUser: ClientCertificateUser | null;
  }
}

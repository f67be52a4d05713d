/**
 * What the plugin adds to Fastify's types, by declaration merging (as Fastify's own plugins
 * do): `fastify.ecp`, `request.ecpUser`, and the two session fields the plugin owns.
 */
import type {} from '@fastify/session';
import type { EcpDecorator } from './decorator.js';
import type { EcpUser } from './options.js';

/** Key files waiting in the session for their one-time download (`GET <prefix>/keys`). */
export interface EcpDownloads {
  /** `private_key.pem`: PKCS#8 ENCRYPTED PRIVATE KEY. */
  private_key?: string;
  /** `certificate.pem`. */
  certificate?: string;
  /** `credentials.p12`, base64. */
  pkcs12?: string;
}

/** Set by enrolment: who just registered, and the files they may download once each. */
export interface EcpEnrolmentSession {
  user: EcpUser;
  downloads: EcpDownloads;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The ecp plugin: enrolment helpers, preHandlers and the stores. */
    ecp: EcpDecorator;
  }

  interface FastifyRequest {
    /** The user authenticated by `loginPreHandler` or `requireUser`; null before. */
    ecpUser: EcpUser | null;
  }

  interface Session {
    /** The logged-in user (both factors passed). */
    ecpUser?: EcpUser;
    /** A registration whose key files may still be downloaded. */
    ecpEnrolment?: EcpEnrolmentSession;
  }
}

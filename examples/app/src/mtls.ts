/**
 * `GET /mtls/whoami` (contract §4): who the TLS client certificate says the caller is.
 *
 * The certificate reaches the app from nginx (examples/nginx/ecp-mtls.conf) in
 * `X-Client-Cert`, believed only from `ECP_TRUSTED_PROXIES`, or from Fastify's own TLS
 * socket when the app serves HTTPS with `requestCert`. It must chain to a CA of
 * `ECP_CLIENT_CA`. `username` is the registered user whose name is the subject CN (so a
 * certificate issued by the plugin in CA mode, the one in `credentials.p12`, maps to its
 * owner), or null: the contract's 403s are about the certificate, and this route only says
 * who the certificate names.
 *
 * Environment:
 *   ECP_CLIENT_CA        PEM file with the trusted CA certificate(s); unset: the CA of CA mode
 *                        (ECP_CA_CERT), and without that the route is off
 *   ECP_CLIENT_CRL       CRL files (PEM or DER), comma-separated; re-read when they change
 *   ECP_CLIENT_DENYLIST  file of revoked SHA-256 fingerprints, one per line; re-read when it changes
 */
import { readFileSync } from 'node:fs';
import type { ClientCertificateOptions, EcpUser } from '@ecp/fastify';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.js';

export interface MtlsConfig {
  /** `ECP_CLIENT_CA`; undefined turns `/mtls/whoami` off. */
  clientCaFile: string | undefined;
  /** `ECP_CLIENT_CRL`. */
  crlFiles: string[];
  /** `ECP_CLIENT_DENYLIST`. */
  denylistFile: string | undefined;
}

/** The whoami answer, field names as in the contract. */
export interface WhoamiResponse {
  common_name: string | null;
  issuer: string | null;
  serial: string;
  fingerprints: { 'SHA-1': string; 'SHA-256': string };
  not_before: string;
  not_after: string;
  username: string | null;
}

export class MtlsConfigError extends ConfigError {
  override name = 'MtlsConfigError';
}

export function readMtlsConfig(env: NodeJS.ProcessEnv = process.env): MtlsConfig {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  return {
    clientCaFile: value('ECP_CLIENT_CA'),
    crlFiles: (value('ECP_CLIENT_CRL') ?? '')
      .split(',')
      .map((file) => file.trim())
      .filter((file) => file.length > 0),
    denylistFile: value('ECP_CLIENT_DENYLIST'),
  };
}

export interface MtlsRouteOptions {
  config: MtlsConfig;
  /** Finds a registered user by username (the certificate's CN). */
  findUser: (username: string) => Promise<EcpUser | null>;
  /** The CA of CA mode: trusted when `ECP_CLIENT_CA` is not set, so its certificates work here as issued. */
  issuerCertificate?: string | Uint8Array;
  /** How often the CRL / denylist files are checked for changes (default 5 s). */
  revocationPollMs?: number;
}

/**
 * Adds `GET /mtls/whoami` (after the @ecp/fastify plugin) when `ECP_CLIENT_CA` is set or CA mode is on; returns false (and
 * adds nothing) otherwise. Throws {@link MtlsConfigError} for an unreadable CA, CRL or
 * denylist file.
 */
export function registerMtlsRoutes(app: FastifyInstance, options: MtlsRouteOptions): boolean {
  const { config } = options;
  let trustAnchor: string | Uint8Array;
  if (config.clientCaFile !== undefined) {
    try {
      trustAnchor = readFileSync(config.clientCaFile, 'utf8');
    } catch (error) {
      throw new MtlsConfigError(`ECP_CLIENT_CA: cannot read ${config.clientCaFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else if (options.issuerCertificate !== undefined) {
    trustAnchor = options.issuerCertificate;
  } else {
    return false;
  }
  const watching = config.crlFiles.length > 0 || config.denylistFile !== undefined;
  const settings: ClientCertificateOptions<EcpUser> = {
    // Every certificate of the file is a trust anchor, as with nginx's ssl_client_certificate.
    trustAnchors: [trustAnchor],
    crlFiles: config.crlFiles,
    ...(config.denylistFile === undefined ? {} : { revokedFingerprintsFile: config.denylistFile }),
    watchRevocationFiles: watching ? { intervalMs: options.revocationPollMs ?? 5_000 } : false,
    onRevocationReloadError: (error) => app.log.error({ err: error }, 'client-certificate revocation files not reloaded; the previous data stays in force'),
    // trustedProxies: the plugin's (ECP_TRUSTED_PROXIES), the same list X-Forwarded-For is believed from.
  };
  let guard;
  try {
    // The plugin's decorator: its trusted proxies by default, file watchers stopped on close.
    guard = app.ecp.clientCertificate<EcpUser>(settings);
  } catch (error) {
    throw new MtlsConfigError(`client certificates (ECP_CLIENT_CA / ECP_CLIENT_CRL / ECP_CLIENT_DENYLIST): ${(error as Error).message}`);
  }

  app.get('/mtls/whoami', { preHandler: guard }, async (request): Promise<WhoamiResponse> => {
    // The preHandler answered 400/403 itself unless both are set.
    const certificate = request.clientCertificate!;
    const user = certificate.commonName ? await options.findUser(certificate.commonName) : null;
    return {
      common_name: certificate.commonName,
      issuer: certificate.issuer,
      serial: certificate.serial,
      fingerprints: { 'SHA-1': certificate.fingerprints['SHA-1'], 'SHA-256': certificate.fingerprints['SHA-256'] },
      not_before: certificate.notBefore.toISOString(),
      not_after: certificate.notAfter.toISOString(),
      username: user?.username ?? null,
    };
  });
  return true;
}

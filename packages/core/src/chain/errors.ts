/**
 * The one error path validation throws. `reason` is the stable, machine-readable verdict
 * (the CLI prints it, the Fastify preHandler maps it to 400/403); `subject` names the
 * certificate the verdict is about, so an operator can tell a bad leaf from a bad CA.
 */
import { EcpError, type EcpErrorOptions } from '../errors.js';

export const CERTIFICATE_PATH_REASONS = [
  'expired',
  'not_yet_valid',
  'untrusted',
  'bad_signature',
  'not_a_ca',
  'path_length',
  'key_usage',
  'eku',
  'critical_extension',
  'revoked',
  'weak_algorithm',
  'malformed',
] as const;

export type CertificatePathReason = (typeof CERTIFICATE_PATH_REASONS)[number];

export class CertificatePathError extends EcpError {
  static override name = 'CertificatePathError';
  readonly reason: CertificatePathReason;
  /** RFC 4514-style subject of the failing certificate ('' when it could not be parsed). */
  readonly subject: string;
  /** What exactly failed, for people (the message is `reason (subject): detail`). */
  readonly detail: string;

  constructor(reason: CertificatePathReason, subject: string, detail: string, options?: EcpErrorOptions) {
    super(`${reason}${subject ? ` (${subject})` : ''}: ${detail}`, 'ECP_CERTIFICATE_PATH', options);
    this.reason = reason;
    this.subject = subject;
    this.detail = detail;
  }
}

export const isCertificatePathReason = (value: string): value is CertificatePathReason =>
  (CERTIFICATE_PATH_REASONS as readonly string[]).includes(value);

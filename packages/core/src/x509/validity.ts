/**
 * Validity period check (RFC 5280 §4.1.2.5): a certificate is valid from notBefore through
 * notAfter, both instants included. Browser-safe.
 */
import { CertificateExpiredError, CertificateNotYetValidError } from '../errors.js';

export interface ValidityPeriod {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Throws {@link CertificateNotYetValidError} before notBefore and {@link CertificateExpiredError} after notAfter. */
export function checkValidity(certificate: ValidityPeriod, at: Date = new Date()): void {
  const time = at.getTime();
  if (Number.isNaN(time)) throw new TypeError('checkValidity: invalid date');
  if (time < certificate.notBefore.getTime()) {
    throw new CertificateNotYetValidError(`certificate is not valid before ${certificate.notBefore.toISOString()}`);
  }
  if (time > certificate.notAfter.getTime()) {
    throw new CertificateExpiredError(`certificate expired at ${certificate.notAfter.toISOString()}`);
  }
}

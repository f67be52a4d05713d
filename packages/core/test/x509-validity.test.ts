/**
 * checkValidity: both ends inclusive, one second outside refused with the specific error.
 */
import { generateKeyPairSync } from 'node:crypto';
import { opensslVector } from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { CertificateExpiredError, CertificateNotYetValidError, InvalidCertificateError } from '../src/errors.js';
import { createSelfSignedCertificate } from '../src/x509/build.js';
import { parseCertificate } from '../src/x509/certificate.js';
import { checkValidity } from '../src/x509/validity.js';

const notBefore = new Date('2031-03-04T05:06:07Z');
const cert = createSelfSignedCertificate({
  privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  commonName: 'validity',
  notBefore,
  days: 10,
});
const notAfter = new Date('2031-03-14T05:06:07Z');
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe('checkValidity', () => {
  it('has the dates that were asked for', () => {
    expect(cert.notBefore).toEqual(notBefore);
    expect(cert.notAfter).toEqual(notAfter);
  });

  it('accepts exactly notBefore and exactly notAfter', () => {
    expect(() => checkValidity(cert, notBefore)).not.toThrow();
    expect(() => checkValidity(cert, notAfter)).not.toThrow();
    expect(() => checkValidity(cert, at(notBefore, 86_400))).not.toThrow();
  });

  it('refuses one second before notBefore as not yet valid', () => {
    expect(() => checkValidity(cert, at(notBefore, -1))).toThrow(CertificateNotYetValidError);
    expect(() => checkValidity(cert, at(notBefore, -1))).toThrow(expect.objectContaining({ code: 'ECP_CERTIFICATE_NOT_YET_VALID' }));
  });

  it('refuses one second after notAfter as expired', () => {
    expect(() => checkValidity(cert, at(notAfter, 1))).toThrow(CertificateExpiredError);
    expect(() => checkValidity(cert, at(notAfter, 1))).toThrow(expect.objectContaining({ code: 'ECP_CERTIFICATE_EXPIRED', message: 'certificate expired at 2031-03-14T05:06:07.000Z' }));
  });

  it('both errors are InvalidCertificateErrors', () => {
    expect(() => checkValidity(cert, at(notAfter, 1))).toThrow(InvalidCertificateError);
  });

  it('uses the current time by default: the openssl-made expired and future certificates', () => {
    const expired = parseCertificate(opensslVector('cert-alice-expired').bytes);
    expect(expired.notAfter.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    expect(() => checkValidity(expired)).toThrow(CertificateExpiredError);
    const future = parseCertificate(opensslVector('cert-alice-not-yet-valid').bytes);
    expect(future.notBefore.toISOString()).toBe('2099-01-01T00:00:00.000Z'); // GeneralizedTime
    expect(() => checkValidity(future)).toThrow(CertificateNotYetValidError);
    expect(() => checkValidity(parseCertificate(opensslVector('cert-alice').bytes))).not.toThrow();
  });
});

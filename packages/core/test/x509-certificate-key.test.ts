/**
 * readCertificateKey: a certificate's P-256 point without the full parse, for pairing keys
 * with certificates (.p12 bags, the browser's enrolment). It agrees with parseCertificate on
 * the key, refuses what is not a DER Certificate as parseCertificate does, and decodes only
 * the structure and the subjectPublicKeyInfo (names, times and extensions are parseCertificate's).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../src/bytes.js';
import { InputTooLargeError, InvalidCertificateError } from '../src/errors.js';
import { OID } from '../src/der/oids.js';
import * as der from '../src/der/writer.js';
import { encodePem } from '../src/pem.js';
import { signatureAlgorithmIdentifier } from '../src/x509/algorithms.js';
import { createSelfSignedCertificate, issueCertificate } from '../src/x509/build.js';
import { certificateToPem, parseCertificate } from '../src/x509/certificate.js';
import { readCertificateKey } from '../src/x509/certificate-key.js';
import { longFormLength, partsOf, rewrap } from './x509-helpers.js';

const caKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const ca = createSelfSignedCertificate({ privateKey: caKey, commonName: 'ca', profile: 'ca' });
const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const leaf = createSelfSignedCertificate({ privateKey: leafKey, commonName: 'leaf' });
const [tbs, algorithm, signature] = partsOf(leaf.der) as [Uint8Array, Uint8Array, Uint8Array];
const tbsParts = partsOf(tbs);
// [0] version, serial, signature, issuer, validity, subject, spki, [3] extensions
const replaceTbsPart = (index: number, value: Uint8Array | null): Uint8Array =>
  rewrap([rewrap(tbsParts.flatMap((p, i) => (i === index ? (value ? [value] : []) : [p]))), algorithm, signature]);

function refusal(input: Uint8Array | string): InvalidCertificateError {
  try {
    readCertificateKey(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCertificateError);
    return error as InvalidCertificateError;
  }
  throw new Error('readCertificateKey accepted it');
}

describe('readCertificateKey', () => {
  it('reads the P-256 point parseCertificate reads, from DER, PEM text and PEM bytes', () => {
    for (const input of [leaf.der, certificateToPem(leaf), new TextEncoder().encode(certificateToPem(leaf))]) {
      const key = readCertificateKey(input);
      expect(key.der).toEqual(leaf.der);
      expect(key.p256Point).toEqual(parseCertificate(input).publicKey.key);
      expect(key.p256Point).toHaveLength(65);
    }
  });

  it('has no P-256 point for certificates of other key types and curves', () => {
    for (const subjectKey of [
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
      generateKeyPairSync('ed25519').publicKey,
    ]) {
      const certificate = issueCertificate({ subjectPublicKey: subjectKey, subject: 'other', issuerCertificate: ca, issuerKey: caKey, profile: 'client', days: 1 });
      const key = readCertificateKey(certificate.der);
      expect(key).toEqual({ der: certificate.der });
    }
  });

  it('refuses what is not one DER Certificate, as parseCertificate does', () => {
    const refused = [
      concatBytes(leaf.der, Uint8Array.of(0)),
      replaceTbsPart(1, longFormLength(tbsParts[1]!)),
      Uint8Array.of(0x30, 0x80, ...tbs, ...algorithm, ...signature, 0, 0),
      rewrap([tbs, algorithm, der.tlv(0x23, signature)]),
      rewrap([tbs, signatureAlgorithmIdentifier('ecdsa-with-SHA384'), signature]),
      rewrap([tbs, algorithm]),
      rewrap([tbs, algorithm, signature, der.nullValue()]),
      replaceTbsPart(1, der.utf8String('serial')),
      replaceTbsPart(3, null),
      replaceTbsPart(7, der.explicit(4, der.nullValue())),
      replaceTbsPart(6, der.sequence(der.sequence(der.oid(OID.ecPublicKey), der.oid(OID.prime256v1)), der.bitString(Uint8Array.of(4, 1), 1))),
      replaceTbsPart(6, der.sequence(der.sequence(der.oid(OID.ecPublicKey), der.oid(OID.prime256v1)))),
    ];
    for (const input of refused) {
      expect(() => parseCertificate(input)).toThrow(InvalidCertificateError);
      expect(refusal(input).message).toMatch(/^not a valid X\.509 certificate: /);
    }
    for (let length = 0; length < leaf.der.length; length++) refusal(leaf.der.subarray(0, length));
    expect(refusal(encodePem('PRIVATE KEY', leaf.der)).message).toMatch(/expected a PEM "CERTIFICATE" or "X509 CERTIFICATE" block/);
    expect(refusal(new Uint8Array(100 * 1024).fill(0x30)).cause).toBeInstanceOf(InputTooLargeError);
  });

  it('does not decode names, validity or extensions: that is parseCertificate', () => {
    const lax = [
      replaceTbsPart(4, der.sequence(der.tlv(0x17, new TextEncoder().encode('2501010000Z')), der.time(new Date('2030-01-01T00:00:00Z')))),
      replaceTbsPart(7, der.explicit(3, der.sequence())),
    ];
    for (const input of lax) {
      expect(() => parseCertificate(input)).toThrow(InvalidCertificateError);
      expect(readCertificateKey(input).p256Point).toEqual(leaf.publicKey.key);
    }
  });
});

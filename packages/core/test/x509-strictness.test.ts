/**
 * The certificate parser refuses everything DER and RFC 5280 forbid, with an
 * InvalidCertificateError whose cause says why, and never crashes on hostile input.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, toBase64 } from '../src/bytes.js';
import { InputTooLargeError, InvalidCertificateError, MalformedInputError } from '../src/errors.js';
import { OID } from '../src/der/oids.js';
import * as der from '../src/der/writer.js';
import { encodePem } from '../src/pem.js';
import { signatureAlgorithmIdentifier } from '../src/x509/algorithms.js';
import { createSelfSignedCertificate } from '../src/x509/build.js';
import { certificateToPem, parseCertificate } from '../src/x509/certificate.js';
import { encodeExtension } from '../src/x509/extensions.js';
import { longFormLength, partsOf, rewrap } from './x509-helpers.js';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const base = createSelfSignedCertificate({ privateKey: key, commonName: 'strict' });
const [tbs, algorithm, signature] = partsOf(base.der) as [Uint8Array, Uint8Array, Uint8Array];
const tbsParts = partsOf(tbs);
// [0] version, serial, signature, issuer, validity, subject, spki, [3] extensions
const extensionList = partsOf(partsOf(tbsParts[7]!)[0]!);

const withTbs = (parts: Uint8Array[]): Uint8Array => rewrap([rewrap(parts), algorithm, signature]);
const replaceTbsPart = (index: number, value: Uint8Array | null): Uint8Array =>
  withTbs(tbsParts.flatMap((p, i) => (i === index ? (value ? [value] : []) : [p])));
const withExtensions = (extensions: Uint8Array[]): Uint8Array => replaceTbsPart(7, der.explicit(3, der.sequence(...extensions)));

function expectRefused(input: Uint8Array | string, reason: RegExp): void {
  let caught: unknown;
  try {
    parseCertificate(input);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidCertificateError);
  expect((caught as InvalidCertificateError).code).toBe('ECP_INVALID_CERTIFICATE');
  expect((caught as Error).message).toMatch(reason);
}

describe('the rebuilt certificate is the original (so each case below changes one thing)', () => {
  it('round-trips', () => {
    expect(withTbs(tbsParts)).toEqual(base.der);
    expect(parseCertificate(withTbs(tbsParts)).serialNumber).toBe(base.serialNumber);
  });
});

describe('DER strictness', () => {
  it('trailing bytes after the certificate', () => expectRefused(concatBytes(base.der, Uint8Array.of(0)), /trailing bytes/));
  it('a long-form length where the short form fits', () => expectRefused(replaceTbsPart(1, longFormLength(tbsParts[1]!)), /non-minimal length/));
  it('a non-minimal serial INTEGER', () => expectRefused(replaceTbsPart(1, der.tlv(0x02, Uint8Array.of(0, 1))), /non-minimal INTEGER/));
  it('a constructed BIT STRING signature (BER)', () =>
    expectRefused(rewrap([tbs, algorithm, der.tlv(0x23, signature)]), /constructed encoding of a primitive type/));
  it('an indefinite length', () => expectRefused(Uint8Array.of(0x30, 0x80, ...tbs, ...algorithm, ...signature, 0, 0), /indefinite length/));
  it('UTCTime without seconds', () => {
    const validity = der.sequence(der.tlv(0x17, new TextEncoder().encode('2501010000Z')), der.time(new Date('2030-01-01T00:00:00Z')));
    expectRefused(replaceTbsPart(4, validity), /not a DER UTCTime/);
  });
  it('every truncation of the certificate', () => {
    for (let length = 0; length < base.der.length; length++) expectRefused(base.der.subarray(0, length), /not a valid X.509 certificate/);
  });
});

describe('RFC 5280 structure', () => {
  it('inner and outer signature algorithms that differ', () =>
    expectRefused(rewrap([tbs, signatureAlgorithmIdentifier('ecdsa-with-SHA384'), signature]), /differs from the outer signatureAlgorithm/));
  it('version v1 written out (DEFAULT must be omitted)', () => expectRefused(replaceTbsPart(0, der.explicit(0, der.integer(0))), /v1 must be omitted/));
  it('an unknown version', () => expectRefused(replaceTbsPart(0, der.explicit(0, der.integer(3))), /unknown version 4/));
  it('extensions in a v2 certificate', () => expectRefused(replaceTbsPart(0, der.explicit(0, der.integer(1))), /extensions need version 3/));
  it('extensions in a v1 certificate', () => expectRefused(replaceTbsPart(0, null), /extensions need version 3/));
  it('an empty extension list', () => expectRefused(withExtensions([]), /empty extension list/));
  it('the same extension twice', () => expectRefused(withExtensions([...extensionList, extensionList[0]!]), /basicConstraints appears twice/));
  it('critical written as an explicit FALSE', () => {
    const explicitFalse = der.sequence(der.oid('1.2.3.4'), der.boolean(false), der.octetString(der.nullValue()));
    expectRefused(withExtensions([...extensionList, explicitFalse]), /explicit critical=FALSE/);
  });
  it('a keyUsage with trailing zero bits', () => {
    const padded = encodeExtension({ oid: OID.keyUsage, critical: true, value: der.bitString(Uint8Array.of(0x80, 0x00), 7) });
    expectRefused(withExtensions([extensionList[0]!, padded]), /keyUsage extension: .*trailing zero bits/);
  });
  it('basicConstraints with an explicit cA FALSE', () => {
    const bc = encodeExtension({ oid: OID.basicConstraints, value: der.sequence(der.boolean(false)) });
    expectRefused(withExtensions([bc]), /explicit cA=FALSE/);
  });
  it('a subjectAltName that is not GeneralNames', () => {
    const san = encodeExtension({ oid: OID.subjectAltName, value: der.sequence(der.utf8String('x')) });
    expectRefused(withExtensions([san]), /unknown GeneralName tag/);
  });
  it('an extension value with bytes after it', () => {
    const ski = encodeExtension({ oid: OID.subjectKeyIdentifier, value: concatBytes(der.octetString(Uint8Array.of(1)), Uint8Array.of(0)) });
    expectRefused(withExtensions([ski]), /trailing bytes/);
  });
  it('an EC key without a named curve', () => {
    const spki = der.sequence(der.sequence(der.oid(OID.ecPublicKey), der.nullValue()), der.bitString(Uint8Array.of(4, 1, 2)));
    expectRefused(replaceTbsPart(6, spki), /EC key without a named curve/);
  });

  it('keeps unknown extensions, critical or not, for the path validator to judge', () => {
    const unknown = encodeExtension({ oid: '1.3.6.1.4.1.99999.1', critical: true, value: der.utf8String('policy') });
    const cert = parseCertificate(withExtensions([...extensionList, unknown]));
    expect(cert.extensions.at(-1)).toEqual({ oid: '1.3.6.1.4.1.99999.1', name: '1.3.6.1.4.1.99999.1', critical: true, value: der.utf8String('policy') });
  });

  it('accepts a negative serial (RFC 5280 asks users to cope) and shows its sign', () => {
    expect(parseCertificate(replaceTbsPart(1, der.tlv(0x02, Uint8Array.of(0xff)))).serialNumber).toBe('-01');
    expect(parseCertificate(replaceTbsPart(1, der.tlv(0x02, Uint8Array.of(0xfe, 0xff)))).serialNumber).toBe('-0101');
  });
});

describe('input bounds and framing', () => {
  it('refuses 100 KB of DER before parsing it', () => {
    let caught: unknown;
    try {
      parseCertificate(new Uint8Array(100 * 1024).fill(0x30));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCertificateError);
    expect((caught as Error).cause).toBeInstanceOf(InputTooLargeError);
  });

  it('refuses a PEM holding 100 KB of DER', () => {
    const big = der.sequence(der.octetString(new Uint8Array(100 * 1024)));
    expectRefused(encodePem('CERTIFICATE', big), /larger than the/);
  });

  it('refuses other PEM labels and garbage, with a MalformedInputError cause', () => {
    expectRefused(encodePem('PRIVATE KEY', base.der), /expected a PEM "CERTIFICATE" or "X509 CERTIFICATE" block, found "PRIVATE KEY"/);
    expectRefused('hello', /no PEM block found/);
    expectRefused('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', /invalid base64/);
    try {
      parseCertificate(concatBytes(base.der, Uint8Array.of(0)));
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(MalformedInputError);
    }
  });

  it('finds the certificate in PEM with text around it (as openssl x509 -text writes)', () => {
    const text = `Certificate:\n    Data: ...\n${certificateToPem(base)}trailing notes\n`;
    expect(parseCertificate(text).serialNumber).toBe(base.serialNumber);
    const wrapped = `-----BEGIN CERTIFICATE-----\r\n${toBase64(base.der).replace(/(.{64})/g, '$1\r\n')}\r\n-----END CERTIFICATE-----`;
    expect(parseCertificate(wrapped).serialNumber).toBe(base.serialNumber);
  });

  it('never throws anything but InvalidCertificateError on 4000 single-byte corruptions', () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      const copy = new Uint8Array(base.der);
      copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      try {
        parseCertificate(copy);
        parsed++;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidCertificateError);
      }
    }
    // Corrupting key or signature bytes leaves a well-formed certificate: some must parse.
    expect(parsed).toBeGreaterThan(100);
    expect(parsed).toBeLessThan(4000);
  });
});

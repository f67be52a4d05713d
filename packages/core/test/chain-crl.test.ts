/**
 * parseCrl / parseCrls: what a CRL holds, and the strictness of the parse (the CRL is
 * signed data that the path validator relies on, so it is read as strictly as a certificate).
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../src/bytes.js';
import { InputTooLargeError, MalformedInputError } from '../src/errors.js';
import { OID } from '../src/der/oids.js';
import { decodeDer, sequence as readSequence, TAG } from '../src/der/reader.js';
import * as der from '../src/der/writer.js';
import { encodePem } from '../src/pem.js';
import { encodeExtensions } from '../src/x509/extensions.js';
import { signerFor } from '../src/x509/signing.js';
import { assembleCertificateList } from '../src/x509/tbs.js';
import { MAX_CRL_SIZE, parseCrl, parseCrls } from '../src/chain/crl.js';
import { chainCase } from '../../test-vectors/src/chains.js';
import { crl, intermediate, leaf, root } from './chain-pki.js';

const ca = intermediate('CRL Issuer', root('CRL Root'));
const revokedOne = leaf('revoked', ca).certificate;
const revokedTwo = leaf('revoked too', ca).certificate;

/** A CRL signed by `ca` from hand-made TBSCertList fields (after version and signature). */
function handMade(fields: { version?: Uint8Array | null; rest: Uint8Array[]; outerAlgorithm?: Uint8Array }): Uint8Array {
  const signer = signerFor(ca.key);
  const version = fields.version === undefined ? der.integer(1) : fields.version;
  const tbs = der.sequence(...(version ? [version] : []), signer.algorithmIdentifier, ca.certificate.subject.der, ...fields.rest);
  return assembleCertificateList(tbs, fields.outerAlgorithm ?? signer.algorithmIdentifier, signer.sign(tbs));
}

const time = (iso: string): Uint8Array => der.time(new Date(iso));

describe('parseCrl', () => {
  it('reads a CRL made by ecp: issuer, dates, serials, AKI and cRLNumber', () => {
    const parsed = parseCrl(crl(ca, [revokedOne, revokedTwo]));
    expect(parsed.version).toBe(2);
    expect(parsed.issuer.toString()).toBe(ca.certificate.subject.toString());
    expect(parsed.thisUpdate.toISOString()).toBe('2029-06-01T00:00:00.000Z');
    expect(parsed.nextUpdate?.toISOString()).toBe('2030-06-01T00:00:00.000Z');
    expect(parsed.revokedCertificates.map((e) => e.serialNumber).sort()).toEqual([revokedOne.serialNumber, revokedTwo.serialNumber].sort());
    expect(parsed.revokedSerials.has(revokedOne.serialNumber)).toBe(true);
    expect(toHex(parsed.authorityKeyIdentifier!)).toBe(toHex(ca.certificate.subjectKeyIdentifier!));
    expect(parsed.crlNumber).toBe('01');
    expect(parsed.unsupportedCriticalExtensions).toEqual([]);
  });

  it('reads an OpenSSL CRL from the corpus, with its entry reason code', () => {
    const c = chainCase('crl-leaf-revoked');
    const parsed = parseCrl(c.crls[0]!.bytes);
    expect(parsed.revokedCertificates).toHaveLength(1);
    expect(parsed.revokedCertificates[0]!.reasonCode).toBe(1); // keyCompromise
    expect(parsed.revokedCertificates[0]!.revocationDate.toISOString()).toBe('2029-01-01T00:00:00.000Z');
  });

  it('reads every X509 CRL block of a PEM text, and DER', () => {
    const a = crl(ca, []);
    const b = crl(ca, [revokedOne]);
    const text = `junk\n${encodePem('X509 CRL', a)}${encodePem('CERTIFICATE', ca.certificate.der)}${encodePem('X509 CRL', b)}`;
    expect(parseCrls(text).map((x) => x.revokedCertificates.length)).toEqual([0, 1]);
    expect(parseCrl(new TextEncoder().encode(text)).revokedCertificates).toHaveLength(0);
    expect(parseCrls(b)).toHaveLength(1);
    expect(() => parseCrls(encodePem('CERTIFICATE', ca.certificate.der))).toThrow(/no PEM "X509 CRL" block/);
  });

  it('accepts a v1 CRL without nextUpdate and without entries', () => {
    const parsed = parseCrl(handMade({ version: null, rest: [time('2029-06-01T00:00:00Z')] }));
    expect(parsed.version).toBe(1);
    expect(parsed.nextUpdate).toBeUndefined();
    expect(parsed.revokedCertificates).toEqual([]);
  });

  it('lists critical CRL and entry extensions it does not process (the CRL is then unusable)', () => {
    const idp = { oid: OID.issuingDistributionPoint, critical: true, value: der.sequence() };
    const withIdp = parseCrl(handMade({ rest: [time('2029-06-01T00:00:00Z'), time('2030-06-01T00:00:00Z'), der.explicit(0, encodeExtensions([idp]))] }));
    expect(withIdp.unsupportedCriticalExtensions).toEqual([OID.issuingDistributionPoint]);
    const entry = der.sequence(der.integer(5), time('2029-01-01T00:00:00Z'), encodeExtensions([{ oid: OID.certificateIssuer, critical: true, value: der.sequence() }]));
    const indirect = parseCrl(handMade({ rest: [time('2029-06-01T00:00:00Z'), der.sequence(entry)] }));
    expect(indirect.unsupportedCriticalExtensions).toEqual([OID.certificateIssuer]);
    expect(indirect.revokedSerials.has('05')).toBe(true);
  });

  describe('refuses as malformed', () => {
    const good = crl(ca, [revokedOne]);
    const cases: [string, () => Uint8Array][] = [
      ['trailing bytes', () => concatBytes(good, Uint8Array.of(5, 0))],
      ['a truncated CRL', () => good.subarray(0, good.length - 10)],
      ['a non-minimal outer length', () => {
        const outer = decodeDer(good);
        expect(good[1]).toBe(0x82);
        return concatBytes(Uint8Array.of(0x30, 0x83, 0x00), good.subarray(2, 4), outer.value);
      }],
      ['inner and outer signature algorithms that differ', () =>
        handMade({ rest: [time('2029-06-01T00:00:00Z')], outerAlgorithm: der.sequence(der.oid(OID.ecdsaWithSha384)) })],
      ['an explicit version v1 (DER omits it)', () => handMade({ version: der.integer(0), rest: [time('2029-06-01T00:00:00Z')] })],
      ['extensions in a v1 CRL', () =>
        handMade({ version: null, rest: [time('2029-06-01T00:00:00Z'), der.explicit(0, encodeExtensions([{ oid: OID.crlNumber, value: der.integer(1) }]))] })],
      ['a duplicate extension', () =>
        handMade({ rest: [time('2029-06-01T00:00:00Z'), der.explicit(0, der.sequence(...[1, 2].map((n) => der.sequence(der.oid(OID.crlNumber), der.octetString(der.integer(n))))))] })],
      ['a bad thisUpdate', () => handMade({ rest: [der.tlv(TAG.UTC_TIME, new TextEncoder().encode('2906010000Z'))] })],
      ['an entry without a revocation date', () => handMade({ rest: [time('2029-06-01T00:00:00Z'), der.sequence(der.sequence(der.integer(5)))] })],
      ['fields after crlExtensions', () => handMade({ rest: [time('2029-06-01T00:00:00Z'), der.explicit(0, encodeExtensions([{ oid: OID.crlNumber, value: der.integer(1) }])), der.nullValue()] })],
      ['a certificate', () => ca.certificate.der],
    ];
    it.each(cases)('%s', (_name, make) => {
      expect(() => parseCrl(make())).toThrow(MalformedInputError);
    });
  });

  it('bounds the input size', () => {
    expect(() => parseCrl(new Uint8Array(MAX_CRL_SIZE + 1).fill(0x30))).toThrow(InputTooLargeError);
  });

  it('keeps the signed bytes exactly', () => {
    const bytes = crl(ca, []);
    const parsed = parseCrl(bytes);
    expect(toHex(parsed.tbs)).toBe(toHex(readSequence(decodeDer(bytes), 'x').next().bytes));
    expect(parsed.der).toBe(bytes);
  });
});

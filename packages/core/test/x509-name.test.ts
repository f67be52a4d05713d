/**
 * Names: encoding (read back by openssl), RFC 4514 display, attribute lookup and the
 * RFC 5280 §7.1 comparison used for chaining.
 */
import { describe, expect, it } from 'vitest';
import { TAG } from '../src/der/reader.js';
import * as der from '../src/der/writer.js';
import { decodeName, encodeName, namesMatch, prepareNameString } from '../src/x509/name.js';
import { generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCertificate } from '../src/x509/build.js';
import { certificateToPem } from '../src/x509/certificate.js';
import { makeWorkdir, opensslText } from './x509-helpers.js';

const rdn = (oid: string, value: Uint8Array) => der.setOf(der.sequence(der.oid(oid), value));
const CN = '2.5.4.3';
const O = '2.5.4.10';

describe('encodeName / decodeName', () => {
  it('writes an object in the conventional order with the conventional string types', () => {
    const name = decodeName(encodeName({ CN: 'alice', O: 'Example', C: 'FR', emailAddress: 'a@example.com' }));
    expect(name.rdns.map((r) => r[0]!.shortName)).toEqual(['C', 'O', 'CN', 'emailAddress']);
    expect(name.rdns.map((r) => r[0]!.tag)).toEqual([TAG.PRINTABLE_STRING, TAG.UTF8_STRING, TAG.UTF8_STRING, TAG.IA5_STRING]);
    expect(name.toString()).toBe('emailAddress=a@example.com, CN=alice, O=Example, C=FR');
    expect(name.commonName).toBe('alice');
    expect(name.get('O')).toEqual(['Example']);
    expect(name.get('2.5.4.10')).toEqual(['Example']);
    expect(name.get('OU')).toEqual([]);
  });

  it('writes an entry list in the order given; openssl reads the same name', () => {
    const encoded = encodeName([
      ['CN', 'Jürgen Ünïcode ✓'],
      ['OU', 'a+b, "c"'],
      ['DC', 'example'],
      ['1.2.3.4', 'custom'],
    ]);
    const name = decodeName(encoded);
    expect(name.rdns.map((r) => r[0]!.shortName)).toEqual(['CN', 'OU', 'DC', '1.2.3.4']);
    expect(name.toString()).toBe('1.2.3.4=#0C06637573746F6D, DC=example, OU=a\\+b\\, \\"c\\", CN=Jürgen Ünïcode ✓');
    // openssl reads the same name from a certificate (its RFC 2253 output escapes the same way).
    const cert = createSelfSignedCertificate({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, subject: encoded });
    const work = makeWorkdir('name');
    try {
      const file = work.write('cert.pem', certificateToPem(cert));
      const subject = opensslText(['x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb']);
      expect(subject.trim()).toBe(`subject=${name.toString().replace(/, (?=[A-Za-z0-9.]+=)/g, ',')}`);
      expect(name.get('1.2.3.4')).toEqual(['custom']);
    } finally {
      work.remove();
    }
  });

  it('refuses what cannot be encoded', () => {
    expect(() => encodeName({ C: 'France' })).toThrow(/two letters/);
    expect(() => encodeName({ XYZ: 'x' })).toThrow(/unknown name attribute/);
    expect(() => encodeName({ emailAddress: 'é@example.com' })).toThrow(/ASCII/);
  });

  it('escapes RFC 4514 specials, leading # and edge spaces; shows non-string values as #hex', () => {
    const name = decodeName(
      der.sequence(rdn(CN, der.utf8String(' #lead;trail ')), rdn(O, der.integer(5)), rdn(CN, der.utf8String('x'))),
    );
    expect(name.toString()).toBe('CN=x, O=#020105, CN=\\ #lead\\;trail\\ ');
    expect(name.attributes[1]).toMatchObject({ isString: false, value: '#020105' });
    expect(name.commonName).toBeUndefined(); // two CNs: ambiguous, not guessed
    expect(name.get('CN')).toEqual([' #lead;trail ', 'x']);
  });

  it('joins the attributes of a multi-valued RDN with +', () => {
    const multi = der.sequence(der.setOf(der.sequence(der.oid(CN), der.utf8String('a')), der.sequence(der.oid(O), der.utf8String('b'))));
    expect(decodeName(multi).toString()).toBe('CN=a+O=b');
  });

  it('refuses malformed names', () => {
    expect(() => decodeName(der.sequence(der.tlv(TAG.SET)))).toThrow(/empty RDN/);
    expect(() => decodeName(der.sequence(der.sequence(der.oid(CN), der.utf8String('x'))))).toThrow(/expected tag 0x31/);
    expect(() => decodeName(der.sequence(rdn(CN, der.tlv(TAG.UTF8_STRING, Uint8Array.of(0xff)))))).toThrow(/UTF-8/);
    expect(() => decodeName(der.sequence(der.setOf(der.sequence(der.oid(CN)))))).toThrow(/missing attribute value/);
  });
});

describe('namesMatch (RFC 5280 §7.1)', () => {
  const name = (...rdns: Uint8Array[]) => decodeName(der.sequence(...rdns));

  it('matches identical DER at once', () => {
    const a = decodeName(encodeName({ CN: 'Root', O: 'Example' }));
    expect(namesMatch(a, decodeName(a.der))).toBe(true);
  });

  it('ignores case, string type and surrounding or repeated whitespace', () => {
    const a = name(rdn(O, der.utf8String('Example  CA')), rdn(CN, der.utf8String('Root')));
    const b = name(rdn(O, der.printableString(' example ca ')), rdn(CN, der.printableString('ROOT')));
    expect(namesMatch(a, b)).toBe(true);
    expect(namesMatch(b, a)).toBe(true);
    expect(prepareNameString('  Straße\tÜber  ')).toBe('strasse über');
  });

  it('compares NFKC forms', () => {
    const composed = name(rdn(CN, der.utf8String('é')));
    const decomposed = name(rdn(CN, der.utf8String('e\u0301')));
    expect(namesMatch(composed, decomposed)).toBe(true);
  });

  it('keeps order, attribute types, RDN count and non-string values significant', () => {
    const a = name(rdn(O, der.utf8String('X')), rdn(CN, der.utf8String('Y')));
    expect(namesMatch(a, name(rdn(CN, der.utf8String('Y')), rdn(O, der.utf8String('X'))))).toBe(false);
    expect(namesMatch(a, name(rdn(O, der.utf8String('X'))))).toBe(false);
    expect(namesMatch(a, name(rdn(O, der.utf8String('X')), rdn('2.5.4.11', der.utf8String('Y'))))).toBe(false);
    expect(namesMatch(a, name(rdn(O, der.utf8String('X')), rdn(CN, der.utf8String('Y Z'))))).toBe(false);
    expect(namesMatch(name(rdn(O, der.integer(1))), name(rdn(O, der.integer(2))))).toBe(false);
    expect(namesMatch(name(rdn(O, der.integer(1))), name(rdn(O, der.integer(1))))).toBe(true);
  });

  it('compares a multi-valued RDN as a set', () => {
    const ab = der.tlv(TAG.SET, der.sequence(der.oid(CN), der.utf8String('a')), der.sequence(der.oid(O), der.utf8String('b')));
    const ba = der.tlv(TAG.SET, der.sequence(der.oid(O), der.utf8String('B')), der.sequence(der.oid(CN), der.utf8String('A')));
    expect(namesMatch(name(ab), name(ba))).toBe(true);
  });
});

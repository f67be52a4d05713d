/**
 * The portable ECDSA encodings: strict DER parsing, DER ⇄ r||s, with hand-made edge cases
 * (Wycheproof covers the bulk in ecdsa-wycheproof.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import { derToP1363, p1363ToDer, parseDerSignature } from '../src/ecdsa/signature.js';

const N256 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
const N256_MINUS_1 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550';
const sig = (r: string, s: string): string => {
  const int = (h: string) => `02${(h.length / 2).toString(16).padStart(2, '0')}${h}`;
  const body = int(r) + int(s);
  return `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
};

describe('parseDerSignature', () => {
  it('returns the magnitudes of r and s without sign octets', () => {
    const { r, s } = parseDerSignature(fromHex(sig('00' + N256_MINUS_1, '01')));
    expect(toHex(r)).toBe(N256_MINUS_1);
    expect(toHex(s)).toBe('01');
  });

  it.each([
    ['r = 0', sig('00', '01')],
    ['s = 0', sig('01', '00')],
    ['r = n', sig('00' + N256, '01')],
    ['s = n', sig('01', '00' + N256)],
    ['r > n (33 bytes)', sig('01' + N256, '01')],
    ['negative r', sig('ff', '01')],
    ['negative s', sig('01', '80')],
    ['r with a superfluous leading zero', sig('0001', '01')],
    ['s with a superfluous leading ff', sig('01', 'ff80')],
    ['a third INTEGER', '3009020101020101020101'],
    ['one INTEGER only', '3003020101'],
    ['trailing byte after the SEQUENCE', sig('01', '01') + '00'],
    ['long-form length for a short SEQUENCE', '30810602010102010 1'.replace(/ /g, '')],
    ['indefinite length', '3080020101020101 0000'.replace(/ /g, '')],
    ['a SET instead of a SEQUENCE', '3106020101020101'],
    ['an OCTET STRING inside', '3006040101020101'],
    ['empty input', ''],
    ['the SEQUENCE truncated', sig('01', '01').slice(0, -2)],
  ])('rejects %s', (_name, hex) => {
    expect(() => parseDerSignature(fromHex(hex))).toThrow(expect.objectContaining({ code: 'ECP_MALFORMED' }));
  });

  it('checks the range against the curve that is asked for', () => {
    // n(P-256) is far below n(P-384): fine on P-384, out of range on P-256.
    const big = fromHex(sig('00' + N256, '01'));
    expect(() => parseDerSignature(big, 'P-256')).toThrow(/r is not in 1..n-1/);
    expect(toHex(parseDerSignature(big, 'P-384').r)).toBe(N256);
    expect(toHex(parseDerSignature(big, 48).r)).toBe(N256);
  });

  it('refuses oversized input before parsing it', () => {
    expect(() => parseDerSignature(new Uint8Array(200))).toThrow(/too long/);
  });
});

describe('derToP1363 / p1363ToDer', () => {
  it('pads r and s to the curve width and back to minimal DER', () => {
    const der = fromHex(sig('01', '00' + N256_MINUS_1));
    const raw = derToP1363(der);
    expect(raw.length).toBe(64);
    expect(toHex(raw)).toBe('00'.repeat(31) + '01' + N256_MINUS_1);
    expect(toHex(p1363ToDer(raw))).toBe(toHex(der));
  });

  it('infers the width from 64/96/132-byte input and refuses other lengths', () => {
    expect(p1363ToDer(new Uint8Array(96).fill(1))[1]).toBe(2 * (2 + 48)); // two 48-byte INTEGERs
    expect(p1363ToDer(new Uint8Array(132).fill(1)).length).toBe(3 + 2 * (2 + 66));
    for (const length of [0, 63, 65, 66, 128]) {
      expect(() => p1363ToDer(new Uint8Array(length).fill(1))).toThrow(/unexpected length/);
    }
    expect(() => p1363ToDer(new Uint8Array(64).fill(1), 'P-384')).toThrow(/unexpected length/);
  });

  it('writes a sign octet for high-bit values', () => {
    const raw = new Uint8Array(64).fill(0x80);
    const der = p1363ToDer(raw);
    expect(toHex(der.subarray(0, 5))).toBe('3046022100');
  });
});

import { execFileSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import {
  TAG,
  childrenOf,
  decodeDer,
  readBitString,
  readBoolean,
  readInteger,
  readOid,
  readTime,
  readUnsignedIntegerBytes,
  sequence,
} from '../src/der/reader.js';
import * as der from '../src/der/writer.js';
import { decodePem, decodePemBlocks, encodePem } from '../src/pem.js';

const decode = (hex: string) => decodeDer(fromHex(hex));

describe('DER reader: strictness', () => {
  it.each([
    ['indefinite length', '3080020101 0000'],
    ['non-minimal long length (0x81 for < 128)', '30810302 0101'.replace(/ /g, '') + ''],
    ['leading zero length octet', '3082000302 0101'],
    ['trailing bytes', '020101 00'],
    ['length past the end', '020201'],
    ['high tag number', '1f2001 00'],
    ['constructed INTEGER', '2203020101'],
    ['primitive SEQUENCE', '1000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => {
      const el = decode(hex.replace(/ /g, ''));
      if (el.tag & 0x20) childrenOf(el);
    }).toThrow(expect.objectContaining({ code: 'ECP_MALFORMED' }));
  });

  it.each([
    ['0200', 'empty INTEGER'],
    ['02020001', 'leading 00 before a positive byte'],
    ['0202ff80', 'leading ff before a negative byte'],
  ])('rejects INTEGER %s (%s)', (hex) => {
    expect(() => readInteger(decode(hex))).toThrow(/INTEGER/);
  });

  it('reads INTEGERs with sign', () => {
    expect(readInteger(decode('020100'))).toBe(0n);
    expect(readInteger(decode('020180'))).toBe(-128n);
    expect(readInteger(decode('02020080'))).toBe(128n);
    expect(toHex(readUnsignedIntegerBytes(decode('02020080')))).toBe('80');
    expect(() => readUnsignedIntegerBytes(decode('020180'))).toThrow(/negative/);
  });

  it('BOOLEAN must be 00 or FF', () => {
    expect(readBoolean(decode('0101ff'))).toBe(true);
    expect(readBoolean(decode('010100'))).toBe(false);
    expect(() => readBoolean(decode('010101'))).toThrow(/BOOLEAN/);
  });

  it('BIT STRING padding must be zero', () => {
    expect(readBitString(decode('03020780')).unusedBits).toBe(7);
    expect(() => readBitString(decode('03020781'))).toThrow(/padding/);
    expect(() => readBitString(decode('030108'))).toThrow(/unused/);
  });

  it('OIDs: minimal arcs only', () => {
    expect(readOid(decode('06082a8648ce3d030107'))).toBe('1.2.840.10045.3.1.7');
    expect(() => readOid(decode('0603808001'))).toThrow(/non-minimal/);
    expect(() => readOid(decode('06022a86'))).toThrow(/malformed/);
  });

  it('times: DER forms only, RFC 5280 century rule', () => {
    const t = (s: string, tag: number) => readTime(decodeDer(der.tlv(tag, new TextEncoder().encode(s))));
    expect(t('491231235959Z', TAG.UTC_TIME).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(t('500101000000Z', TAG.UTC_TIME).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(t('20500101000000Z', TAG.GENERALIZED_TIME).toISOString()).toBe('2050-01-01T00:00:00.000Z');
    for (const bad of ['4912312359Z', '491231235959+0000', '491331235959Z', '490230000000Z']) {
      expect(() => t(bad, TAG.UTC_TIME)).toThrow();
    }
    expect(() => t('20500101000000.5Z', TAG.GENERALIZED_TIME)).toThrow();
  });
});

describe('DER writer round-trips through the reader', () => {
  it('integers, oids, times, SET OF order', () => {
    for (const n of [0n, 1n, 127n, 128n, 255n, 256n, 2n ** 64n + 3n]) {
      expect(readInteger(decodeDer(der.integer(n)))).toBe(n);
    }
    expect(readOid(decodeDer(der.oid('2.5.29.37.0')))).toBe('2.5.29.37.0');
    expect(readOid(decodeDer(der.oid('1.3.6.1.4.1.311.21.7')))).toBe('1.3.6.1.4.1.311.21.7');
    const when = new Date('2031-02-03T04:05:06Z');
    expect(readTime(decodeDer(der.time(when))).getTime()).toBe(when.getTime());
    const far = new Date('2099-02-03T04:05:06Z');
    expect(decodeDer(der.time(far)).tag).toBe(TAG.GENERALIZED_TIME);
    const set = decodeDer(der.setOf(der.integer(3), der.integer(1), der.integer(2)));
    expect(childrenOf(set).map((c) => readInteger(c))).toEqual([1n, 2n, 3n]);
  });

  it('long lengths use the minimal long form', () => {
    const big = der.octetString(new Uint8Array(300));
    expect(toHex(big.subarray(0, 4))).toBe('0482012c');
    expect(decodeDer(big).value.length).toBe(300);
  });

  it('walks a real certificate made by OpenSSL and agrees with node:crypto', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecp-der-'));
    const keyFile = join(dir, 'key.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pem = execFileSync('openssl', ['req', '-x509', '-key', keyFile, '-subj', '/CN=alice', '-days', '1', '-set_serial', '0xab']).toString();
    const node = new X509Certificate(pem);
    const cert = sequence(decodeDer(new Uint8Array(node.raw)), 'certificate');
    const tbs = sequence(cert.next(TAG.SEQUENCE, 'tbsCertificate'), 'tbsCertificate');
    expect(readInteger(childrenOf(tbs.next(0xa0, 'version'))[0]!)).toBe(2n);
    expect(readInteger(tbs.next(TAG.INTEGER, 'serial'))).toBe(0xabn);
    tbs.next(TAG.SEQUENCE, 'signature');
    tbs.next(TAG.SEQUENCE, 'issuer');
    const validity = sequence(tbs.next(TAG.SEQUENCE, 'validity'), 'validity');
    expect(readTime(validity.next()).getTime()).toBe(new Date(node.validFrom).getTime());
    expect(readTime(validity.next()).getTime()).toBe(new Date(node.validTo).getTime());
    validity.end();
    tbs.next(TAG.SEQUENCE, 'subject');
    const spki = sequence(tbs.next(TAG.SEQUENCE, 'subjectPublicKeyInfo'), 'spki');
    const alg = sequence(spki.next(TAG.SEQUENCE), 'algorithm');
    expect(readOid(alg.next())).toBe('1.2.840.10045.2.1');
    expect(readOid(alg.next())).toBe('1.2.840.10045.3.1.7');
    expect(tbs.optional(0xa3)).toBeDefined();
    tbs.end();
    cert.next(TAG.SEQUENCE, 'signatureAlgorithm');
    cert.next(TAG.BIT_STRING, 'signatureValue');
    cert.end();
    rmSync(dir, { recursive: true });
  });
});

describe('PEM', () => {
  const der1 = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
  it('round-trips and tolerates text around blocks, CRLF and indentation', () => {
    const pem = encodePem('CERTIFICATE', der1);
    const messy = `Bag Attributes\r\n  localKeyID: 01\r\n${pem.replace(/\n/g, '\r\n').replace('MAMCAQU=', '  MAMC\r\n  AQU=')}trailer`;
    const [block] = decodePemBlocks(messy);
    expect(block!.label).toBe('CERTIFICATE');
    expect(toHex(block!.der)).toBe(toHex(der1));
  });
  it('finds the wanted label among several blocks and names what it found otherwise', () => {
    const two = encodePem('CERTIFICATE', der1) + encodePem('PRIVATE KEY', der1);
    expect(decodePem(two, ['ENCRYPTED PRIVATE KEY', 'PRIVATE KEY']).label).toBe('PRIVATE KEY');
    expect(() => decodePem(two, 'CERTIFICATE REQUEST')).toThrow(/found "CERTIFICATE", "PRIVATE KEY"/);
    expect(() => decodePem('hello', 'CERTIFICATE')).toThrow(/no PEM block/);
  });
  it('rejects mismatched labels and bad base64', () => {
    expect(() => decodePemBlocks('-----BEGIN A-----\nMAMCAQU=\n-----END B-----')).toThrow(/ends with/);
    expect(() => decodePemBlocks('-----BEGIN A-----\nMA*CAQU=\n-----END A-----')).toThrow(/base64/);
  });
  it('keeps RFC 1421 headers of legacy encrypted PEM', () => {
    const legacy = '-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nMAMCAQU=\n-----END EC PRIVATE KEY-----\n';
    expect(decodePemBlocks(legacy)[0]!.headers['Proc-Type']).toBe('4,ENCRYPTED');
  });
});

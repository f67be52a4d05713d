/**
 * PKCS#10 requests: ecp's read by `openssl req -verify`, OpenSSL's read and verified by ecp,
 * the browser flow (portable builder + WebCrypto signature) and tampering.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { opensslVector } from '@ecp/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes } from '../src/bytes.js';
import { InvalidSignatureError, MalformedInputError } from '../src/errors.js';
import { OID } from '../src/der/oids.js';
import { encodePem } from '../src/pem.js';
import { p1363ToDer } from '../src/ecdsa/signature.js';
import { ecdsaWithSha256Identifier, signatureAlgorithmIdentifier } from '../src/x509/algorithms.js';
import { assembleCsr, buildCsrInfo, csrToPem, encodeCsrInfo, parseCsr } from '../src/x509/csr.js';
import { encodeCommonName, encodeName } from '../src/x509/name.js';
import { createCsr, verifyCsr } from '../src/x509/csr-signing.js';
import { encodeExtKeyUsage } from '../src/x509/extensions.js';
import { makeWorkdir, openssl, opensslOk, opensslText, type Workdir } from './x509-helpers.js';

let work: Workdir;
beforeAll(() => {
  work = makeWorkdir('csr');
});
afterAll(() => work?.remove());

const opensslVerifies = (pem: string): { ok: boolean; subject: string } => {
  const file = work.write(`req-${Math.random().toString(36).slice(2)}.pem`, pem);
  const result = openssl(['req', '-in', file, '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']);
  return { ok: result.status === 0 && /verify OK/i.test(result.stderr + result.stdout.toString()), subject: result.stdout.toString().trim() };
};

describe('createCsr', () => {
  it('makes a request openssl verifies, and ecp parses and verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = createCsr({ privateKey, commonName: 'alice' });
    expect(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    expect(opensslVerifies(pem)).toEqual({ ok: true, subject: 'subject=CN=alice' });
    const csr = parseCsr(pem);
    expect(csr.subject.commonName).toBe('alice');
    expect(csr.signatureAlgorithm.oid).toBe(OID.ecdsaWithSha256);
    expect(Buffer.from(csr.publicKey.spki)).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    expect(csr.attributes).toEqual([]);
    expect(() => verifyCsr(csr)).not.toThrow();
  });

  it('can request extensions, which openssl shows', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = createCsr({ privateKey, subject: { CN: 'bob', O: 'Example' }, extensions: [{ oid: OID.extKeyUsage, value: encodeExtKeyUsage([OID.clientAuth]) }] });
    expect(opensslVerifies(pem).ok).toBe(true);
    const text = opensslText(['req', '-in', work.write('ext.csr', pem), '-noout', '-text']);
    expect(text).toMatch(/Requested Extensions:\s+X509v3 Extended Key Usage: \s+TLS Web Client Authentication/);
    const csr = parseCsr(pem);
    expect(csr.requestedExtensions.map((e) => e.name)).toEqual(['extKeyUsage']);
    expect(csr.decodedRequestedExtensions.extKeyUsage).toEqual([OID.clientAuth]);
  });
});

describe('requests made by openssl', () => {
  const KEYS: Record<string, string[]> = {
    p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    ed25519: ['-algorithm', 'ED25519'],
  };

  it.each(Object.keys(KEYS))('%s request with a SAN parses and verifies; DER and NEW CERTIFICATE REQUEST too', (name) => {
    const key = work.path(`${name}.key`);
    opensslOk(['genpkey', ...KEYS[name]!, '-out', key]);
    const file = work.path(`${name}.csr`);
    opensslOk(['req', '-new', '-key', key, '-subj', `/O=Example/CN=${name}`, '-addext', 'subjectAltName=DNS:a.example', '-out', file]);
    const pem = readFileSync(file, 'utf8');
    const csr = parseCsr(pem);
    expect(csr.subject.toString()).toBe(`CN=${name}, O=Example`);
    expect(csr.decodedRequestedExtensions.subjectAltName).toEqual([expect.objectContaining({ type: 'dNSName', value: 'a.example' })]);
    expect(() => verifyCsr(csr)).not.toThrow();
    const derFile = work.path(`${name}.csr.der`);
    opensslOk(['req', '-in', file, '-outform', 'DER', '-out', derFile]);
    expect(parseCsr(new Uint8Array(readFileSync(derFile))).der).toEqual(csr.der);
    expect(parseCsr(encodePem('NEW CERTIFICATE REQUEST', csr.der)).infoDer).toEqual(csr.infoDer);
  });

  it('the committed openssl vector csr-alice', () => {
    const vector = opensslVector('csr-alice');
    const csr = parseCsr(vector.bytes);
    expect(csr.subject.commonName).toBe(vector.csr!.subjectCN);
    expect(Buffer.from(csr.publicKey.spki).toString('hex')).toBe(vector.key!.spkiDerHex);
    expect(() => verifyCsr(csr)).not.toThrow();
  });
});

describe('tampering and malformed requests', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = createCsr({ privateKey, commonName: 'alice' });
  const original = parseCsr(pem).der;

  it('a changed subject no longer verifies: InvalidSignatureError', () => {
    const tampered = new Uint8Array(original);
    const at = Buffer.from(tampered).indexOf(Buffer.from('alice'));
    tampered[at] = 'm'.charCodeAt(0); // CN=mlice
    const csr = parseCsr(tampered);
    expect(csr.subject.commonName).toBe('mlice');
    expect(() => verifyCsr(csr)).toThrow(InvalidSignatureError);
    expect(opensslVerifies(csrToPem(tampered)).ok).toBe(false);
  });

  it('another key in the request no longer verifies', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csr = parseCsr(pem);
    const info = buildCsrInfo({ subject: csr.subject.der, spki: new Uint8Array(other.publicKey.export({ type: 'spki', format: 'der' })) });
    const forged = parseCsr(assembleCsr(info, csr.signatureAlgorithm.der, csr.signatureValue));
    expect(() => verifyCsr(forged)).toThrow(expect.objectContaining({ code: 'ECP_INVALID_SIGNATURE' }));
  });

  it.each([
    ['trailing bytes', () => concatBytes(original, Uint8Array.of(0))],
    ['truncation', () => original.subarray(0, original.length - 1)],
    ['a certificate instead', () => encodePem('CERTIFICATE', original)],
    ['100 KB', () => new Uint8Array(100 * 1024).fill(0x30)],
  ])('refuses %s with a MalformedInputError', (_name, make) => {
    expect(() => parseCsr(make())).toThrow(MalformedInputError);
  });
});

describe('the browser flow: portable builder, WebCrypto signature', () => {
  it('builds a request openssl and ecp verify', async () => {
    const subtle = webcrypto.subtle;
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
    const info = buildCsrInfo({ subject: { CN: 'browser-user' }, spki });
    const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, info));
    const csrDer = assembleCsr(info, signatureAlgorithmIdentifier('ecdsa-with-SHA256'), p1363ToDer(raw));
    const pem = csrToPem(csrDer);
    expect(opensslVerifies(pem)).toEqual({ ok: true, subject: 'subject=CN=browser-user' });
    expect(() => verifyCsr(parseCsr(pem))).not.toThrow();
  });

  it('the lean builders the browser SDK uses write exactly what the general ones write', async () => {
    const spki = new Uint8Array(
      await webcrypto.subtle.exportKey('spki', ((await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])) as CryptoKeyPair).publicKey),
    );
    for (const name of ['alice', 'Zoë Ünïcode', 'a'.repeat(64)]) {
      expect(encodeCommonName(name)).toEqual(encodeName({ CN: name }));
      expect(encodeCsrInfo(encodeCommonName(name), spki)).toEqual(buildCsrInfo({ subject: { CN: name }, spki }));
    }
    expect(ecdsaWithSha256Identifier()).toEqual(signatureAlgorithmIdentifier('ecdsa-with-SHA256'));
    expect(() => encodeCsrInfo(concatBytes(encodeCommonName('alice'), Uint8Array.of(0)), spki)).toThrow(MalformedInputError);
    expect(() => encodeCsrInfo(encodeCommonName('alice'), spki.subarray(1))).toThrow(MalformedInputError);
  });
});

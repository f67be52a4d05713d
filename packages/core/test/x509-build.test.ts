/**
 * Certificates and CRLs ecp makes, read back by openssl (`x509 -text`, `verify -purpose
 * sslclient`, `verify -crl_check`) and node:crypto's X509Certificate.
 */
import { X509Certificate, createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../src/bytes.js';
import { OID } from '../src/der/oids.js';
import { encodePem } from '../src/pem.js';
import {
  createCertificateRevocationList,
  createSelfSignedCertificate,
  issueCertificate,
  keyIdentifierOf,
  randomSerialNumber,
} from '../src/x509/build.js';
import { certificateToPem, parseCertificate, type Certificate } from '../src/x509/certificate.js';
import { fingerprint } from '../src/x509/fingerprint.js';
import { encodeExtension } from '../src/x509/extensions.js';
import { verifyCertificateSignature } from '../src/x509/signing.js';
import { makeWorkdir, openssl, opensslText, type Workdir } from './x509-helpers.js';

let work: Workdir;
beforeAll(() => {
  work = makeWorkdir('x509-build');
});
afterAll(() => work?.remove());

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const save = (name: string, cert: Certificate) => work.write(name, certificateToPem(cert));
const nodeCert = (cert: Certificate) => new X509Certificate(Buffer.from(cert.der));

describe('createSelfSignedCertificate', () => {
  const { privateKey, publicKey } = p256();
  const before = Date.now();
  const cert = createSelfSignedCertificate({ privateKey, commonName: 'alice' });

  it('is the X.509 v3 user certificate of the contract', () => {
    expect(cert.version).toBe(3);
    expect(cert.subject.toString()).toBe('CN=alice');
    expect(cert.issuer.der).toEqual(cert.subject.der);
    expect(cert.signatureAlgorithm.oid).toBe(OID.ecdsaWithSha256);
    expect(cert.basicConstraints).toEqual({ cA: false });
    expect(cert.keyUsage).toMatchObject({ digitalSignature: true, keyCertSign: false, nonRepudiation: false });
    expect(cert.extKeyUsage).toEqual([OID.clientAuth]);
    expect(cert.extensions.map((e) => [e.name, e.critical])).toEqual([
      ['basicConstraints', true],
      ['keyUsage', true],
      ['extKeyUsage', false],
      ['subjectKeyIdentifier', false],
    ]);
    const spkiBits = cert.publicKey.key;
    expect(cert.subjectKeyIdentifier).toEqual(new Uint8Array(createHash('sha1').update(spkiBits).digest()));
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(365 * 86_400_000);
    expect(cert.notBefore.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Buffer.from(cert.publicKey.spki)).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('has a random, positive, at most 16-octet serial', () => {
    const serials = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const serial = randomSerialNumber();
      expect(serial.length).toBe(16);
      expect(serial[0]! & 0x80).toBe(0);
      serials.add(toHex(serial));
    }
    expect(serials.size).toBe(200);
    expect(cert.serialNumber.length).toBeLessThanOrEqual(32);
    expect(parseInt(cert.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
  });

  it('is read by openssl and node:crypto, self-signature included', () => {
    const file = save('self.pem', cert);
    const text = opensslText(['x509', '-in', file, '-noout', '-text']);
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(opensslText(['x509', '-in', file, '-noout', '-fingerprint', '-sha1'])).toBe(`sha1 Fingerprint=${fingerprint(cert, 'sha1')}\n`);
    const node = nodeCert(cert);
    expect(node.verify(publicKey)).toBe(true);
    // OpenSSL's check_issued also wants keyCertSign when keyUsage is present: a client
    // certificate (digitalSignature only) is self-signed but cannot issue, itself included.
    expect(node.checkIssued(node)).toBe(false);
    expect(node.subject).toBe('CN=alice');
    const verify = openssl(['verify', '-CAfile', file, '-purpose', 'sslclient', file]);
    // A self-signed end-entity certificate is its own trust anchor here.
    expect(verify.stdout.toString()).toBe(`${file}: OK\n`);
  });

  it('takes days, notBefore, a serial, a fuller subject and SANs', () => {
    const notBefore = new Date('2030-06-01T12:00:00.750Z');
    const custom = createSelfSignedCertificate({
      privateKey,
      subject: { CN: 'bob', O: 'Example', C: 'FR' },
      days: 2,
      notBefore,
      serial: 0x0a11cen,
      subjectAltNames: [{ type: 'rfc822Name', value: 'bob@example.com' }],
    });
    expect(custom.notBefore.toISOString()).toBe('2030-06-01T12:00:00.000Z');
    expect(custom.notAfter.toISOString()).toBe('2030-06-03T12:00:00.000Z');
    expect(custom.serialNumber).toBe('0a11ce');
    expect(custom.subject.toString()).toBe('CN=bob, O=Example, C=FR');
    expect(nodeCert(custom).subjectAltName).toBe('email:bob@example.com');
  });

  it('signs with the key type: P-384, RSA, RSA-PSS, Ed25519, Ed448', () => {
    const cases: [KeyObject, string][] = [
      [generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, OID.ecdsaWithSha384],
      [generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, OID.ecdsaWithSha512],
      [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, OID.sha256WithRsa],
      [generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey, OID.rsassaPss],
      [generateKeyPairSync('ed25519').privateKey, OID.ed25519],
      [generateKeyPairSync('ed448').privateKey, OID.ed448],
    ];
    for (const [key, oid] of cases) {
      const c = createSelfSignedCertificate({ privateKey: key, commonName: 'k' });
      expect(c.signatureAlgorithm.oid).toBe(oid);
      expect(verifyCertificateSignature(c, c)).toBe(true);
      const file = save(`self-${oid}.pem`, c);
      expect(openssl(['verify', '-CAfile', file, file]).status, oid).toBe(0);
      expect(nodeCert(c).verify(nodeCert(c).publicKey)).toBe(true);
    }
  });

  it('refuses a subject-less call and public keys', () => {
    expect(() => createSelfSignedCertificate({ privateKey })).toThrow(/commonName or a subject/);
    expect(() => createSelfSignedCertificate({ privateKey: publicKey, commonName: 'x' })).toThrow(/private key/);
  });
});

describe('issueCertificate', () => {
  const rootKey = p256();
  const root = createSelfSignedCertificate({ privateKey: rootKey.privateKey, subject: { CN: 'Example Root', O: 'Example', C: 'FR' }, profile: 'ca', days: 3650 });
  const interKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const inter = issueCertificate({
    subjectPublicKey: interKey.publicKey,
    subject: { CN: 'Example Clients', O: 'Example' },
    issuerCertificate: root,
    issuerKey: rootKey.privateKey,
    profile: 'ca',
    pathLength: 0,
    days: 1825,
  });
  const userKey = p256();
  const leaf = issueCertificate({
    subjectPublicKey: userKey.privateKey,
    subject: 'alice',
    issuerCertificate: inter,
    issuerKey: interKey.privateKey,
    profile: 'client',
    days: 365,
  });

  it('builds CA and client profiles with chained names and key identifiers', () => {
    expect(root.basicConstraints).toEqual({ cA: true });
    expect(root.keyUsage).toMatchObject({ keyCertSign: true, cRLSign: true, digitalSignature: false });
    expect(root.extKeyUsage).toBeUndefined();
    expect(inter.basicConstraints).toEqual({ cA: true, pathLenConstraint: 0 });
    expect(inter.issuer.der).toEqual(root.subject.der);
    expect(inter.authorityKeyIdentifier).toEqual({ keyIdentifier: root.subjectKeyIdentifier });
    expect(inter.signatureAlgorithm.oid).toBe(OID.ecdsaWithSha256); // signed by the P-256 root
    expect(leaf.signatureAlgorithm.oid).toBe(OID.ecdsaWithSha384); // signed by the P-384 intermediate
    expect(leaf.issuer.der).toEqual(inter.subject.der);
    expect(leaf.authorityKeyIdentifier?.keyIdentifier).toEqual(inter.subjectKeyIdentifier);
    expect(leaf.subjectKeyIdentifier).toEqual(keyIdentifierOf(leaf.publicKey.spki));
    expect(leaf.basicConstraints).toEqual({ cA: false });
    expect(leaf.extKeyUsage).toEqual([OID.clientAuth]);
    expect(verifyCertificateSignature(leaf, inter)).toBe(true);
    expect(verifyCertificateSignature(inter, root)).toBe(true);
    expect(verifyCertificateSignature(leaf, root)).toBe(false);
  });

  it('passes openssl verify -purpose sslclient through the intermediate', () => {
    const rootFile = save('root.pem', root);
    const interFile = save('inter.pem', inter);
    const leafFile = save('leaf.pem', leaf);
    const ok = openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, '-purpose', 'sslclient', '-x509_strict', leafFile]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.toString()).toBe(`${leafFile}: OK\n`);
    // ... and fails without the intermediate, or as a server certificate.
    expect(openssl(['verify', '-CAfile', rootFile, leafFile]).status).not.toBe(0);
    expect(openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, '-purpose', 'sslserver', leafFile]).status).not.toBe(0);
    const nodeLeaf = nodeCert(leaf);
    expect(nodeLeaf.checkIssued(nodeCert(inter))).toBe(true);
    expect(nodeLeaf.verify(nodeCert(inter).publicKey)).toBe(true);
    expect(nodeCert(inter).verify(nodeCert(root).publicKey)).toBe(true);
  });

  it('respects pathLength: openssl refuses a CA below a pathLength-0 intermediate', () => {
    const subKey = p256();
    const sub = issueCertificate({ subjectPublicKey: subKey.publicKey, subject: 'Sub CA', issuerCertificate: inter, issuerKey: interKey.privateKey, profile: 'ca' });
    const deep = issueCertificate({ subjectPublicKey: p256().publicKey, subject: 'deep', issuerCertificate: sub, issuerKey: subKey.privateKey, profile: 'client' });
    const untrusted = work.write('untrusted.pem', certificateToPem(inter) + certificateToPem(sub));
    const result = openssl(['verify', '-CAfile', save('root2.pem', root), '-untrusted', untrusted, save('deep.pem', deep)]);
    expect(result.status).not.toBe(0);
    expect(result.stdout.toString() + result.stderr).toMatch(/path length constraint exceeded/);
  });

  it('takes the subject key as SPKI bytes, and RSA / Ed25519 issuers', () => {
    const spki = new Uint8Array(userKey.publicKey.export({ type: 'spki', format: 'der' }));
    for (const [issuerKey, oid] of [
      [generateKeyPairSync('rsa', { modulusLength: 2048 }), OID.sha256WithRsa],
      [generateKeyPairSync('ed25519'), OID.ed25519],
    ] as const) {
      const ca = createSelfSignedCertificate({ privateKey: issuerKey.privateKey, commonName: 'CA', profile: 'ca' });
      const cert = issueCertificate({ subjectPublicKey: spki, subject: 'bob', issuerCertificate: ca, issuerKey: issuerKey.privateKey, profile: 'client' });
      expect(cert.signatureAlgorithm.oid).toBe(oid);
      expect(cert.publicKey.spki).toEqual(spki);
      expect(openssl(['verify', '-CAfile', save(`ca-${oid}.pem`, ca), '-purpose', 'sslclient', save(`leaf-${oid}.pem`, cert)]).status).toBe(0);
    }
  });

  it('refuses an issuer key that does not belong to the issuer certificate', () => {
    expect(() =>
      issueCertificate({ subjectPublicKey: userKey.publicKey, subject: 'x', issuerCertificate: root, issuerKey: interKey.privateKey, profile: 'client' }),
    ).toThrow(expect.objectContaining({ code: 'ECP_KEY_CERTIFICATE_MISMATCH' }));
  });

  it('appends extra extensions (for tests of the path validator)', () => {
    const cert = issueCertificate({
      subjectPublicKey: userKey.publicKey,
      subject: 'x',
      issuerCertificate: root,
      issuerKey: rootKey.privateKey,
      profile: 'client',
      extraExtensions: [{ oid: '1.3.6.1.4.1.99999.7', critical: true, value: new Uint8Array([5, 0]) }],
    });
    expect(cert.extensions.at(-1)).toMatchObject({ oid: '1.3.6.1.4.1.99999.7', critical: true });
    const result = openssl(['verify', '-CAfile', save('root3.pem', root), save('unknown-critical.pem', cert)]);
    expect(result.stdout.toString() + result.stderr).toMatch(/unsupported certificate extension|unhandled critical extension/);
    expect(encodeExtension({ oid: '1.2.3', value: new Uint8Array([5, 0]) })).toEqual(new Uint8Array([0x30, 0x08, 0x06, 0x02, 0x2a, 0x03, 0x04, 0x02, 0x05, 0x00]));
  });

  it('makes CRLs that openssl checks revocation against', () => {
    const revokedLeaf = issueCertificate({ subjectPublicKey: userKey.publicKey, subject: 'revoked', issuerCertificate: root, issuerKey: rootKey.privateKey, profile: 'client' });
    const goodLeaf = issueCertificate({ subjectPublicKey: userKey.publicKey, subject: 'good', issuerCertificate: root, issuerKey: rootKey.privateKey, profile: 'client' });
    const crl = createCertificateRevocationList({
      issuerCertificate: root,
      issuerKey: rootKey.privateKey,
      revoked: [{ serial: revokedLeaf.serialNumber, date: new Date(Date.now() - 60_000) }],
      crlNumber: 7,
    });
    const crlFile = work.write('root.crl.pem', encodePem('X509 CRL', crl));
    const rootFile = save('root4.pem', root);
    expect(opensslText(['crl', '-in', crlFile, '-noout', '-text'])).toMatch(new RegExp(`CRL Number: \\s+7[\\s\\S]*Serial Number: ${revokedLeaf.serialNumber.toUpperCase()}`));
    expect(openssl(['crl', '-in', crlFile, '-noout', '-CAfile', rootFile]).stderr).toMatch(/verify OK/);
    const revoked = openssl(['verify', '-crl_check', '-CAfile', rootFile, '-CRLfile', crlFile, save('revoked.pem', revokedLeaf)]);
    expect(revoked.stdout.toString() + revoked.stderr).toMatch(/certificate revoked/);
    const good = openssl(['verify', '-crl_check', '-CAfile', rootFile, '-CRLfile', crlFile, save('good.pem', goodLeaf)]);
    expect(good.status).toBe(0);
  });
});

describe('parseCertificate reads back what the builders write, byte for byte', () => {
  it('keeps der, tbs and the signature exact', () => {
    const { privateKey } = p256();
    const cert = createSelfSignedCertificate({ privateKey, commonName: 'exact' });
    const again = parseCertificate(certificateToPem(cert));
    expect(again.der).toEqual(cert.der);
    expect(toHex(again.tbs)).toBe(toHex(cert.tbs));
    expect(toHex(again.signatureValue)).toBe(toHex(cert.signatureValue));
  });
});

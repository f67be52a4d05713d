/**
 * ECDSA P-256 verification: ecp's verifySignature (strict DER parse + node:crypto) against
 * raw node:crypto verify with a prepared KeyObject (target ≥ 0.9×); "certificate PEM →
 * verify" with no cache against node's X509Certificate + verify (target ≥ 0.5×); signing;
 * and certificate parsing against node's X509Certificate and against asn1js (the reason
 * ecp has its own DER reader).
 */
import { X509Certificate, generateKeyPairSync, sign, verify } from 'node:crypto';
import { fromBER } from 'asn1js';
import type { BenchSuite } from '../../../scripts/bench/harness.js';
import { compare } from '../../../scripts/bench/harness.js';
import { importPublicKey } from '../src/ecdsa/key-cache.js';
import { signMessage } from '../src/ecdsa/sign.js';
import { verifySignature } from '../src/ecdsa/verify.js';
import { createSelfSignedCertificate } from '../src/x509/build.js';
import { certificateToPem, parseCertificate } from '../src/x509/certificate.js';

const SIGNATURES = 64;

const suite: BenchSuite = {
  name: 'core: ECDSA verify and certificate parsing',
  async run(report) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const certificate = createSelfSignedCertificate({ privateKey, commonName: 'bench' });
    const pem = certificateToPem(certificate);
    const message = Buffer.from('94ee08ecde2c5ae41d2086f35377f8fb07988804a275f71b843f2bdd6c09d5fb');
    const signatures = Array.from({ length: SIGNATURES }, () => new Uint8Array(sign('sha256', message, privateKey)));
    let i = 0;
    let j = 0;
    const check = (ok: boolean) => {
      if (!ok) throw new Error('verification failed');
    };
    const raw = { label: 'node:crypto verify, prepared KeyObject', op: () => check(verify('sha256', message, publicKey, signatures[j++ % SIGNATURES]!)) };
    report.comparisons.push(
      await compare('ECDSA P-256 verify (KeyObject)', { label: 'verifySignature(KeyObject)', op: () => check(verifySignature(publicKey, message, signatures[i++ % SIGNATURES]!)) }, raw, {
        target: 0.9,
        note: 'ours parses the DER strictly first (0 < r, s < n, minimal, no trailing bytes)',
      }),
    );
    report.comparisons.push(
      await compare('ECDSA P-256 verify (Certificate)', { label: 'verifySignature(Certificate)', op: () => check(verifySignature(certificate, message, signatures[i++ % SIGNATURES]!)) }, raw, {
        target: 0.9,
        note: 'the KeyObject is cached per certificate object',
      }),
    );
    report.comparisons.push(
      await compare(
        'certificate PEM → verify, no cache',
        {
          label: 'parseCertificate + importPublicKey + verifySignature',
          op: () => {
            const key = importPublicKey(parseCertificate(pem).publicKey);
            check(verifySignature(key, message, signatures[i++ % SIGNATURES]!));
          },
        },
        { label: 'new X509Certificate(pem).publicKey + verify', op: () => check(verify('sha256', message, new X509Certificate(pem).publicKey, signatures[j++ % SIGNATURES]!)) },
        { target: 0.5, note: 'a fresh certificate every time: no key cache on either side' },
      ),
    );
    report.comparisons.push(
      await compare(
        'ECDSA P-256 sign',
        { label: 'signMessage (DER)', op: () => signMessage(privateKey, message) },
        { label: "node:crypto sign('sha256')", op: () => sign('sha256', message, privateKey) },
      ),
    );
    const der = certificate.der;
    report.comparisons.push(
      await compare(
        'certificate DER parse: ecp vs asn1js',
        { label: 'parseCertificate(der), every field decoded', op: () => parseCertificate(der) },
        { label: 'asn1js fromBER(der), tree only', op: () => fromBER(der) },
        { note: 'why ecp has its own strict DER reader (asn1js is also 17.3 KB min+gz and accepts BER)' },
      ),
    );
    report.comparisons.push(
      await compare(
        'certificate PEM parse',
        { label: 'parseCertificate(pem)', op: () => parseCertificate(pem) },
        { label: 'new X509Certificate(pem)', op: () => new X509Certificate(pem) },
        { note: 'ours also decodes every known extension' },
      ),
    );
  },
};

export default suite;

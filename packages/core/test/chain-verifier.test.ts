/**
 * ChainVerifier / verifyCertificateChain behaviour beyond the corpus: inputs, direct trust,
 * v1 anchors, which failure is reported when every path fails, loops and bounds,
 * extensions, EKU on CAs, self-issued certificates, the denylist and CRL selection.
 */
import { describe, expect, it } from 'vitest';
import { InvalidCertificateError, MalformedInputError } from '../src/errors.js';
import { OID } from '../src/der/oids.js';
import * as der from '../src/der/writer.js';
import { certificateToPem, type Certificate } from '../src/x509/certificate.js';
import { fingerprint } from '../src/x509/fingerprint.js';
import { encodeExtKeyUsage } from '../src/x509/extensions.js';
import { CertificatePathError, ChainVerifier, MAX_PATH_LENGTH, verifyCertificateChain, type ChainVerifierOptions } from '../src/chain/index.js';
import { AT, caExtensions, crl, intermediate, leaf, newKey, root, type Issuer } from './chain-pki.js';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CertificatePathError) return error.reason;
    throw error;
  }
  return 'valid';
}

const verdict = (leafCert: Certificate, options: ChainVerifierOptions, at = AT): string =>
  reasonOf(() => verifyCertificateChain(leafCert, { ...options, at }));

/** The verdict for the lists as given and reversed, which must agree. */
function orderFree(leafCert: Certificate, options: ChainVerifierOptions, at = AT): string {
  const forward = verdict(leafCert, options, at);
  const reversed = verdict(leafCert, {
    ...options,
    trustAnchors: [...options.trustAnchors].reverse(),
    intermediates: [...(options.intermediates ?? [])].reverse(),
    crls: [...(options.crls ?? [])].reverse(),
  }, at);
  expect(reversed).toBe(forward);
  return forward;
}

const rootCa = root('Root');
const int = intermediate('Intermediate', rootCa);
const alice = leaf('alice', int);

describe('inputs and results', () => {
  it('returns the path leaf first, anchor last, for parsed, DER and PEM inputs alike', () => {
    for (const input of [alice.certificate, alice.certificate.der, certificateToPem(alice.certificate)]) {
      const { path } = verifyCertificateChain(input, {
        trustAnchors: [certificateToPem(rootCa.certificate)],
        intermediates: [int.certificate.der],
        at: AT,
      });
      expect(path.map((c) => c.subject.commonName)).toEqual(['alice', 'Intermediate', 'Root']);
    }
  });

  it('reads several certificates from one PEM list entry', () => {
    const bundle = certificateToPem(int.certificate) + certificateToPem(rootCa.certificate);
    const verifier = new ChainVerifier({ trustAnchors: [rootCa.certificate], intermediates: [bundle] });
    // The root given both ways counts once, as an anchor.
    expect(verifier.intermediates.map((c) => c.subject.commonName)).toEqual(['Intermediate']);
    expect(verifier.verify(alice.certificate, { at: AT }).path).toHaveLength(3);
  });

  it('calls an unparsable leaf malformed, and refuses a broken configuration at construction', () => {
    const broken = alice.certificate.der.slice(0, 100);
    const error = (() => {
      try {
        verifyCertificateChain(broken, { trustAnchors: [rootCa.certificate], at: AT });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CertificatePathError);
    expect(error).toMatchObject({ reason: 'malformed', subject: '', code: 'ECP_CERTIFICATE_PATH' });
    expect(() => new ChainVerifier({ trustAnchors: [broken] })).toThrow(InvalidCertificateError);
    expect(() => new ChainVerifier({ trustAnchors: ['no pem here'] })).toThrow(/trust anchor #1/);
    expect(() => new ChainVerifier({ trustAnchors: [rootCa.certificate], crls: [new Uint8Array([0x30, 0x00])] })).toThrow(MalformedInputError);
    expect(() => new ChainVerifier({ trustAnchors: [rootCa.certificate], revokedFingerprints: ['abc'] })).toThrow(MalformedInputError);
    expect(() => verifyCertificateChain(alice.certificate, { trustAnchors: [rootCa.certificate], at: new Date('nope') })).toThrow(TypeError);
  });

  it('names the failing certificate in the error', () => {
    const expired = leaf('bob', int, { notAfter: new Date('2025-01-01T00:00:00Z') });
    try {
      verifyCertificateChain(expired.certificate, { trustAnchors: [rootCa.certificate], intermediates: [int.certificate], at: AT });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ reason: 'expired', subject: 'CN=bob' });
      expect((error as Error).message).toMatch(/^expired \(CN=bob\): /);
    }
  });
});

describe('trust anchors', () => {
  it('trusts a leaf that is itself an anchor, still checking it as a leaf', () => {
    const self = root('Self Client');
    const selfLeaf = leaf('carol', self); // issued by self, but we anchor the leaf directly
    expect(verifyCertificateChain(selfLeaf.certificate, { trustAnchors: [selfLeaf.certificate], at: AT }).path).toHaveLength(1);
    const expired = leaf('dave', self, { notAfter: new Date('2025-01-01T00:00:00Z') });
    expect(verdict(expired.certificate, { trustAnchors: [expired.certificate] })).toBe('expired');
  });

  it('accepts an anchor that is not self-signed (a trusted intermediate ends the path)', () => {
    expect(verifyCertificateChain(alice.certificate, { trustAnchors: [int.certificate], at: AT }).path).toHaveLength(2);
  });

  it('accepts a v1 trust anchor as an anchor, but a v1 certificate is no intermediate CA', () => {
    const v1Root = root('V1 Root', { extensions: [] });
    expect(v1Root.certificate.version).toBe(1);
    const under = leaf('erin', v1Root);
    expect(verifyCertificateChain(under.certificate, { trustAnchors: [v1Root.certificate], at: AT }).path).toHaveLength(2);
    const v1Int = intermediate('V1 Intermediate', rootCa, { extensions: [] });
    const underInt = leaf('frank', v1Int);
    expect(orderFree(underInt.certificate, { trustAnchors: [rootCa.certificate], intermediates: [v1Int.certificate] })).toBe('not_a_ca');
  });

  it('applies the anchor certificate own constraints: pathLen, keyUsage and EKU', () => {
    const strictRoot = root('Strict Root', { pathLength: 0 });
    const below = intermediate('Below Strict', strictRoot);
    const grace = leaf('grace', below);
    expect(orderFree(grace.certificate, { trustAnchors: [strictRoot.certificate], intermediates: [below.certificate] })).toBe('path_length');
    const serverRoot = root('Server Root', { extraExtensions: [{ oid: OID.extKeyUsage, value: encodeExtKeyUsage([OID.serverAuth]) }] });
    expect(orderFree(leaf('heidi', serverRoot).certificate, { trustAnchors: [serverRoot.certificate] })).toBe('eku');
  });
});

describe('which failure is reported when every path fails', () => {
  it('prefers the attempt that got further: a verified link to a dead end beats a bad signature', () => {
    // Two CAs named "Twin": the trusted one did not sign the leaf; the other did, but it was
    // issued by a root nobody supplied, so the path through it dead-ends one link further.
    const trustedTwin = root('Twin');
    const elsewhere = root('Elsewhere');
    const realTwin = intermediate('Twin', elsewhere);
    const ivan = leaf('ivan', realTwin);
    const options = { trustAnchors: [trustedTwin.certificate, rootCa.certificate], intermediates: [realTwin.certificate] };
    expect(orderFree(ivan.certificate, options)).toBe('untrusted');
    // Without the real issuer, the only candidate's signature is the problem.
    expect(orderFree(ivan.certificate, { trustAnchors: [trustedTwin.certificate] })).toBe('bad_signature');
  });

  it('prefers a failure on a path that reached an anchor over one that did not', () => {
    // Two copies of one intermediate: under an expired trusted root, and under an untrusted one.
    const oldRoot = root('Old', { notAfter: new Date('2025-01-01T00:00:00Z') });
    const stranger = root('Stranger');
    const key = newKey();
    const byOld = intermediate('Shared', oldRoot, { key });
    const byStranger = intermediate('Shared', stranger, { key });
    const judy = leaf('judy', byOld);
    expect(orderFree(judy.certificate, { trustAnchors: [oldRoot.certificate], intermediates: [byOld.certificate, byStranger.certificate] })).toBe('expired');
  });

  it('finds the one good path among same-named CAs whatever their order, preferring AKI matches', () => {
    const twins = Array.from({ length: 5 }, () => root('Crowd'));
    const kim = leaf('kim', twins[3]!);
    const { path } = verifyCertificateChain(kim.certificate, { trustAnchors: twins.map((t) => t.certificate), at: AT });
    expect(path[1]).toBe(twins[3]!.certificate);
    expect(orderFree(kim.certificate, { trustAnchors: twins.map((t) => t.certificate) })).toBe('valid');
  });
});

describe('loops and bounds', () => {
  it('stops on CAs that certify each other', () => {
    const keyA = newKey();
    const keyB = newKey();
    const seedA = root('Loop A', { key: keyA });
    const seedB = root('Loop B', { key: keyB });
    const aByB = intermediate('Loop A', seedB, { key: keyA });
    const bByA = intermediate('Loop B', seedA, { key: keyB });
    const lou = leaf('lou', aByB);
    expect(orderFree(lou.certificate, { trustAnchors: [rootCa.certificate], intermediates: [aByB.certificate, bByA.certificate] })).toBe('untrusted');
  });

  it(`refuses paths longer than ${MAX_PATH_LENGTH} certificates`, () => {
    const chain: Issuer[] = [rootCa];
    for (let i = 1; i <= MAX_PATH_LENGTH - 1; i++) chain.push(intermediate(`Level ${i}`, chain[i - 1]!));
    const intermediates = chain.slice(1).map((c) => c.certificate);
    const deep = leaf('mallory', chain[chain.length - 1]!);
    expect(orderFree(deep.certificate, { trustAnchors: [rootCa.certificate], intermediates })).toBe('untrusted');
    const justFits = leaf('nina', chain[chain.length - 2]!);
    expect(orderFree(justFits.certificate, { trustAnchors: [rootCa.certificate], intermediates })).toBe('valid');
  });

  it('ends within its signature budget when many same-named CAs all fail', () => {
    const decoys = Array.from({ length: 80 }, () => root('Decoy'));
    const impostor = root('Decoy');
    const olga = leaf('olga', impostor);
    const started = Date.now();
    expect(verdict(olga.certificate, { trustAnchors: decoys.map((d) => d.certificate) })).toBe('bad_signature');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('extensions', () => {
  const withExtra = (oid: string, critical: boolean, value: Uint8Array) => leaf('pat', int, { extraExtensions: [{ oid, critical, value }] }).certificate;
  const options = { trustAnchors: [rootCa.certificate], intermediates: [int.certificate] };

  it('rejects critical nameConstraints (not implemented) and critical key identifiers (as OpenSSL does); accepts critical certificatePolicies', () => {
    const constraints = der.sequence(der.explicit(0, der.sequence(der.implicitPrimitive(2, new TextEncoder().encode('example.com')))));
    const constrained = intermediate('Constrained', rootCa, { extraExtensions: [{ oid: OID.nameConstraints, critical: true, value: constraints }] });
    expect(orderFree(leaf('quinn', constrained).certificate, { trustAnchors: [rootCa.certificate], intermediates: [constrained.certificate] })).toBe('critical_extension');
    const criticalSki = leaf('pia', int, { extensions: [{ oid: OID.subjectKeyIdentifier, critical: true, value: der.octetString(new Uint8Array(20).fill(7)) }] });
    expect(orderFree(criticalSki.certificate, options)).toBe('critical_extension');
    const policies = der.sequence(der.sequence(der.oid('2.5.29.32.0')));
    expect(orderFree(withExtra(OID.certificatePolicies, true, policies), options)).toBe('valid');
    expect(orderFree(withExtra('1.3.6.1.4.1.32473.9', false, der.nullValue()), options)).toBe('valid');
  });

  it('applies EKU on intermediates: a serverAuth-only CA cannot vouch for client certificates', () => {
    const serverCa = intermediate('Server CA', rootCa, { extraExtensions: [{ oid: OID.extKeyUsage, value: encodeExtKeyUsage([OID.serverAuth]) }] });
    expect(orderFree(leaf('rob', serverCa).certificate, { trustAnchors: [rootCa.certificate], intermediates: [serverCa.certificate] })).toBe('eku');
    const clientCa = intermediate('Client CA', rootCa, { extraExtensions: [{ oid: OID.extKeyUsage, value: encodeExtKeyUsage([OID.clientAuth]) }] });
    expect(orderFree(leaf('sam', clientCa).certificate, { trustAnchors: [rootCa.certificate], intermediates: [clientCa.certificate] })).toBe('valid');
  });

  it('does not count self-issued intermediates (key rollover) against pathLenConstraint', () => {
    const zero = intermediate('Zero', rootCa, { pathLength: 0 });
    const rolled = intermediate('Zero', zero); // self-issued: same name, new key
    const tom = leaf('tom', rolled);
    expect(orderFree(tom.certificate, { trustAnchors: [rootCa.certificate], intermediates: [zero.certificate, rolled.certificate] })).toBe('valid');
  });

  it('requires keyCertSign on a CA whose keyUsage is present', () => {
    const key = newKey();
    const noCertSign = intermediate('No CertSign', rootCa, { key, extensions: caExtensions(key, ['digitalSignature', 'cRLSign']) });
    expect(orderFree(leaf('uma', noCertSign).certificate, { trustAnchors: [rootCa.certificate], intermediates: [noCertSign.certificate] })).toBe('key_usage');
  });

  it('refuses weak keys anywhere, the trust anchor included', () => {
    const weakRoot = root('Weak Root', { key: newKey('rsa1024') });
    expect(orderFree(leaf('vic', weakRoot).certificate, { trustAnchors: [weakRoot.certificate] })).toBe('weak_algorithm');
  });
});

describe('revocation', () => {
  const base = { trustAnchors: [rootCa.certificate], intermediates: [int.certificate] };

  it('denies by SHA-256 fingerprint in any notation, the trust anchor included', () => {
    const colon = fingerprint(alice.certificate, 'sha256');
    expect(orderFree(alice.certificate, { ...base, revokedFingerprints: [colon] })).toBe('revoked');
    expect(orderFree(alice.certificate, { ...base, revokedFingerprints: [colon.replaceAll(':', '').toLowerCase()] })).toBe('revoked');
    expect(orderFree(alice.certificate, { ...base, revokedFingerprints: [fingerprint(rootCa.certificate, 'sha256')] })).toBe('revoked');
    expect(orderFree(alice.certificate, { ...base, revokedFingerprints: [fingerprint(int.certificate, 'sha1').padEnd(95, ':00')] })).toBe('valid');
  });

  it('uses the fresh CRL when a stale one of the same issuer is also configured', () => {
    const stale = crl(int, [], { thisUpdate: new Date('2028-01-01T00:00:00Z'), nextUpdate: new Date('2029-01-01T00:00:00Z') });
    const fresh = crl(int, []);
    const freshRevoking = crl(int, [alice.certificate]);
    expect(orderFree(alice.certificate, { ...base, crls: [stale] })).toBe('revoked');
    expect(orderFree(alice.certificate, { ...base, crls: [stale, fresh] })).toBe('valid');
    expect(orderFree(alice.certificate, { ...base, crls: [fresh, freshRevoking] })).toBe('revoked');
  });

  it('treats thisUpdate and nextUpdate as inclusive', () => {
    const window = crl(int, [], { thisUpdate: new Date('2030-01-01T00:00:00Z'), nextUpdate: new Date('2030-01-02T00:00:00Z') });
    expect(verdict(alice.certificate, { ...base, crls: [window] }, new Date('2030-01-01T00:00:00Z'))).toBe('valid');
    expect(verdict(alice.certificate, { ...base, crls: [window] }, new Date('2030-01-02T00:00:00Z'))).toBe('valid');
    expect(verdict(alice.certificate, { ...base, crls: [window] }, new Date('2030-01-02T00:00:01Z'))).toBe('revoked');
  });

  it("ignores a same-named CA's CRL whose authorityKeyIdentifier names another key", () => {
    const twinInt = intermediate('Intermediate', rootCa);
    expect(orderFree(alice.certificate, { ...base, crls: [crl(twinInt, [alice.certificate])] })).toBe('valid');
  });

  it('fails closed with key_usage when the issuer may not sign CRLs', () => {
    const key = newKey();
    const noCrlSign = intermediate('No CRLSign', rootCa, { key, extensions: caExtensions(key, ['keyCertSign']) });
    const wendy = leaf('wendy', noCrlSign);
    expect(orderFree(wendy.certificate, { trustAnchors: [rootCa.certificate], intermediates: [noCrlSign.certificate], crls: [crl(noCrlSign, [])] })).toBe('key_usage');
  });

  it('withRevocation keeps the anchors and intermediates and swaps the revocation data', () => {
    const verifier = new ChainVerifier(base);
    expect(verifier.verify(alice.certificate, { at: AT }).path).toHaveLength(3);
    const revoking = verifier.withRevocation({ crls: [crl(int, [alice.certificate])] });
    expect(reasonOf(() => revoking.verify(alice.certificate, { at: AT }))).toBe('revoked');
    expect(revoking.trustAnchors).toBe(verifier.trustAnchors);
    expect(reasonOf(() => verifier.withRevocation({ revokedFingerprints: [fingerprint(int.certificate, 'sha256')] }).verify(alice.certificate, { at: AT }))).toBe('revoked');
    expect(verifier.verify(alice.certificate, { at: AT }).path).toHaveLength(3);
  });
});

describe('hostile leaves', () => {
  it('answers every mutated DER leaf with a path or a CertificatePathError, never another exception', () => {
    const verifier = new ChainVerifier({ trustAnchors: [rootCa.certificate], intermediates: [int.certificate] });
    const original = alice.certificate.der;
    // A fixed-seed xorshift, so that a failure can be replayed.
    let state = 0x9e3779b9;
    const random = (n: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const reasons = new Map<string, number>();
    for (let round = 0; round < 3000; round++) {
      let bytes = new Uint8Array(original);
      const kind = random(4);
      if (kind === 0) {
        const i = random(bytes.length);
        bytes[i] = bytes[i]! ^ (1 << random(8));
      }
      else if (kind === 1) bytes[random(bytes.length)] = random(256);
      else if (kind === 2) bytes = bytes.slice(0, random(bytes.length));
      else {
        const at = random(bytes.length);
        bytes = new Uint8Array([...bytes.subarray(0, at), random(256), ...bytes.subarray(at)]);
      }
      if (bytes.length === original.length && bytes.every((b, i) => b === original[i])) continue; // a no-op mutation
      let outcome = 'valid';
      try {
        verifier.verify(bytes, { at: AT });
      } catch (error) {
        if (!(error instanceof CertificatePathError)) throw new Error(`round ${round}: ${String(error)}`);
        outcome = error.reason;
      }
      reasons.set(outcome, (reasons.get(outcome) ?? 0) + 1);
    }
    // Most mutations break the DER or the signature; none may be accepted as another certificate.
    expect(reasons.get('malformed')).toBeGreaterThan(1000);
    expect(reasons.get('bad_signature')).toBeGreaterThan(10);
    expect(reasons.get('valid') ?? 0).toBe(0);
  });
});

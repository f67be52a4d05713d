/**
 * The signature policy and dispatch of path validation: Project Wycheproof for the algorithms
 * met in CA chains (every `valid` vector accepted, every `invalid` one rejected, `acceptable`
 * ones recorded in test/decisions/), and the algorithm and key policy on top.
 */
import { constants, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  assertAcceptableDecisions,
  evaluateOutcomes,
  hexToBytes,
  loadEcdsaDer,
  loadEd25519,
  loadRsaPkcs1,
  loadRsaPss,
  type VectorOutcome,
  type WycheproofFile,
  type WycheproofGroup,
} from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { decodeDer } from '../src/der/reader.js';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from '../src/x509/algorithms.js';
import { OID } from '../src/der/oids.js';
import * as w from '../src/der/writer.js';
import { keyPolicyRefusal, signatureSchemeOf, verifySignedData } from '../src/chain/signature.js';
import { decodePublicKeyInfo } from '../src/x509/public-key.js';

const decisionFile = (name: string): string => fileURLToPath(new URL(`./decisions/${name}`, import.meta.url));

/** An AlgorithmIdentifier from its OID and optional parameters, through the x509 parser. */
const alg = (oid: string, parameters?: Uint8Array) =>
  parseAlgorithmIdentifier(decodeDer(parameters ? w.sequence(w.oid(oid), parameters) : w.sequence(w.oid(oid))));
const hashAlg = (oid: string) => w.sequence(w.oid(oid), w.nullValue());
const mgf1 = (oid: string) => w.sequence(w.oid(OID.mgf1), hashAlg(oid));
/** RSASSA-PSS with one hash for the message and MGF1, and the given salt length. */
const pssAlg = (hashOid: string, salt: number) =>
  alg(OID.rsassaPss, w.sequence(w.explicit(0, hashAlg(hashOid)), w.explicit(1, mgf1(hashOid)), w.explicit(2, w.integer(salt))));

type SignatureGroup = WycheproofGroup & { publicKeyDer: string; tests: { tcId: number; msg: string; sig: string }[] };

/** Every vector of a file through verifySignedData; valid accepted, invalid rejected, acceptable recorded. */
function run<G extends SignatureGroup>(fileName: string, file: WycheproofFile<G>, algorithm: AlgorithmIdentifier, decisions: string) {
  const outcomes: VectorOutcome[] = [];
  for (const group of file.testGroups) {
    const key = createPublicKey({ key: Buffer.from(group.publicKeyDer, 'hex'), format: 'der', type: 'spki' });
    for (const test of group.tests) {
      outcomes.push({ tcId: test.tcId, accepted: verifySignedData(algorithm, key, hexToBytes(test.msg), hexToBytes(test.sig)) });
    }
  }
  const report = evaluateOutcomes(fileName, file, outcomes);
  expect(report.failures).toEqual([]);
  expect(report.total).toBe(file.numberOfTests);
  assertAcceptableDecisions(report.acceptable, decisionFile(decisions));
  return report;
}

describe('Wycheproof through the chain signature dispatch (verifySignedData)', () => {
  it('ECDSA P-384 with SHA-384, DER', () => {
    const r = run('ecdsa_secp384r1_sha384_test.json', loadEcdsaDer('P-384'), alg(OID.ecdsaWithSha384), 'chain_ecdsa_p384_sha384_acceptable.json');
    expect(r.passed).toBe(504);
  });

  it('RSA PKCS#1 v1.5, 2048 and 4096 bits, SHA-256', () => {
    const sha256WithRsa = alg(OID.sha256WithRsa, w.nullValue());
    expect(run('rsa_signature_2048_sha256_test.json', loadRsaPkcs1(2048), sha256WithRsa, 'chain_rsa_pkcs1_2048_acceptable.json').passed).toBe(258);
    expect(run('rsa_signature_4096_sha256_test.json', loadRsaPkcs1(4096), sha256WithRsa, 'chain_rsa_pkcs1_4096_acceptable.json').passed).toBe(257);
  });

  it('RSA-PSS 2048, SHA-256, MGF1-SHA-256, salt 32', () => {
    const r = run('rsa_pss_2048_sha256_mgf1_32_test.json', loadRsaPss(), pssAlg(OID.sha256, 32), 'chain_rsa_pss_2048_acceptable.json');
    expect(r.passed).toBe(108);
  });

  it('Ed25519', () => {
    expect(run('ed25519_test.json', loadEd25519(), alg(OID.ed25519), 'chain_ed25519_acceptable.json').passed).toBe(151);
  });
});

const reasonOf = (r: ReturnType<typeof signatureSchemeOf>) => ('refusal' in r ? r.refusal.reason : 'accepted');

describe('signatureSchemeOf', () => {
  it('maps the accepted algorithms', () => {
    expect(signatureSchemeOf(alg(OID.sha256WithRsa, w.nullValue()))).toEqual({ scheme: { keyType: 'RSA', hash: 'sha256' } });
    expect(signatureSchemeOf(alg(OID.sha512WithRsa))).toEqual({ scheme: { keyType: 'RSA', hash: 'sha512' } });
    expect(signatureSchemeOf(alg(OID.ecdsaWithSha384))).toEqual({ scheme: { keyType: 'EC', hash: 'sha384' } });
    expect(signatureSchemeOf(alg(OID.ed25519))).toEqual({ scheme: { keyType: 'Ed25519' } });
  });

  it('refuses SHA-1, MD5, SHA-224 and unknown algorithms as weak', () => {
    for (const oid of [OID.sha1WithRsa, OID.md5WithRsa, OID.md2WithRsa, OID.ecdsaWithSha1, OID.sha224WithRsa, '1.2.840.10040.4.3', '1.2.3.4']) {
      expect(reasonOf(signatureSchemeOf(alg(oid))), oid).toBe('weak_algorithm');
    }
  });

  it('refuses parameters where the RFCs forbid them as malformed', () => {
    expect(reasonOf(signatureSchemeOf(alg(OID.ecdsaWithSha256, w.nullValue())))).toBe('malformed');
    expect(reasonOf(signatureSchemeOf(alg(OID.sha256WithRsa, w.integer(0))))).toBe('malformed');
    expect(reasonOf(signatureSchemeOf(alg(OID.ed25519, w.nullValue())))).toBe('malformed');
  });

  it('reads RSA-PSS parameters: hash, MGF1 hash, salt length', () => {
    const pss = (...fields: Uint8Array[]) => signatureSchemeOf(alg(OID.rsassaPss, w.sequence(...fields)));
    expect(pss(w.explicit(0, hashAlg(OID.sha384)), w.explicit(1, mgf1(OID.sha384)), w.explicit(2, w.integer(48)))).toEqual({
      scheme: { keyType: 'RSA-PSS', hash: 'sha384', mgf1Hash: 'sha384', saltLength: 48 },
    });
    // Empty parameters mean the SHA-1 defaults.
    expect(reasonOf(pss())).toBe('weak_algorithm');
    // MGF1-SHA-1 under SHA-256 (explicit, or by default) is not supported.
    expect(reasonOf(pss(w.explicit(0, hashAlg(OID.sha256)), w.explicit(1, mgf1(OID.sha1)), w.explicit(2, w.integer(32))))).toBe('weak_algorithm');
    expect(reasonOf(pss(w.explicit(0, hashAlg(OID.sha256)), w.explicit(2, w.integer(32))))).toBe('weak_algorithm');
    // trailerField other than 1, fields out of order: malformed.
    expect(reasonOf(pss(w.explicit(0, hashAlg(OID.sha512)), w.explicit(1, mgf1(OID.sha512)), w.explicit(3, w.integer(2))))).toBe('malformed');
    expect(reasonOf(pss(w.explicit(1, mgf1(OID.sha512)), w.explicit(0, hashAlg(OID.sha512))))).toBe('malformed');
  });

  it('verifies RSA-PSS made by node with the parsed salt length, and not with another', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = Buffer.from('tbs');
    const sig = sign('sha384', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 });
    expect(verifySignedData(pssAlg(OID.sha384, 48), publicKey, data, sig)).toBe(true);
    expect(verifySignedData(pssAlg(OID.sha384, 32), publicKey, data, sig)).toBe(false);
    expect(verifySignedData(alg(OID.sha384WithRsa, w.nullValue()), publicKey, data, sig)).toBe(false);
    // A key of the wrong family never verifies (and never throws).
    expect(verifySignedData(alg(OID.ecdsaWithSha384), publicKey, data, sig)).toBe(false);
  });
});

describe('keyPolicyRefusal', () => {
  const info = (type: 'rsa' | 'ec' | 'ed25519', opts: object) =>
    decodePublicKeyInfo(new Uint8Array(generateKeyPairSync(type as 'rsa', opts as { modulusLength: number }).publicKey.export({ type: 'spki', format: 'der' })));

  it('refuses RSA keys under 2048 bits and curves other than P-256/384/521 as weak', () => {
    expect(keyPolicyRefusal(info('rsa', { modulusLength: 1024 }))).toMatchObject({ reason: 'weak_algorithm', detail: expect.stringContaining('1024') });
    expect(keyPolicyRefusal(info('ec', { namedCurve: 'secp256k1' }))?.reason).toBe('weak_algorithm');
    expect(keyPolicyRefusal(info('rsa', { modulusLength: 2048 }))).toBeUndefined();
    expect(keyPolicyRefusal(info('ec', { namedCurve: 'P-384' }))).toBeUndefined();
    expect(keyPolicyRefusal(info('ed25519', {}))).toBeUndefined();
  });
});

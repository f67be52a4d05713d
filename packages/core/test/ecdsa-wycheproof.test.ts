/**
 * ECDSA through the public verifier against Project Wycheproof: every `valid` vector
 * accepted, every `invalid` one rejected, the (currently absent) `acceptable` ones recorded
 * in test/decisions/. A missing vectors directory fails the loaders, never skips.
 */
import { createPublicKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  assertAcceptableDecisions,
  evaluateOutcomes,
  hexToBytes,
  loadEcdsaDer,
  loadEcdsaP1363,
  type VectorOutcome,
} from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../src/bytes.js';
import { derToP1363, p1363ToDer, parseDerSignature } from '../src/ecdsa/signature.js';
import { verifySignature } from '../src/ecdsa/verify.js';

const decisionFile = (name: string): string => fileURLToPath(new URL(`./decisions/${name}`, import.meta.url));
const keyOf = (spkiHex: string) => createPublicKey({ key: Buffer.from(spkiHex, 'hex'), format: 'der', type: 'spki' });

describe.each([
  ['P-256', 'ecdsa_p256'],
  ['P-384', 'ecdsa_p384'],
] as const)('Wycheproof ECDSA %s', (curve, prefix) => {
  it('DER signatures through verifySignature', () => {
    const file = loadEcdsaDer(curve);
    const outcomes: VectorOutcome[] = [];
    for (const group of file.testGroups) {
      const key = keyOf(group.publicKeyDer);
      for (const test of group.tests) {
        outcomes.push({ tcId: test.tcId, accepted: verifySignature(key, hexToBytes(test.msg), hexToBytes(test.sig)) });
      }
    }
    const report = evaluateOutcomes(curve === 'P-256' ? 'ecdsa_secp256r1_sha256_test.json' : 'ecdsa_secp384r1_sha384_test.json', file, outcomes);
    expect(report.failures).toEqual([]);
    expect(report.total).toBe(file.numberOfTests);
    expect(report.passed).toBe(curve === 'P-256' ? 484 : 504);
    assertAcceptableDecisions(report.acceptable, decisionFile(`${prefix}_der_acceptable.json`));
  });

  it('DER signatures: the strict parse alone refuses every malformed encoding the verifier refuses', () => {
    // Every vector whose DER is accepted by parseDerSignature and re-encodes to the same bytes
    // is a well-formed signature: the cryptographic check decides the rest.
    const file = loadEcdsaDer(curve);
    let parsed = 0;
    for (const group of file.testGroups) {
      for (const test of group.tests) {
        const sig = hexToBytes(test.sig);
        let ok = true;
        try {
          parseDerSignature(sig, curve);
        } catch {
          ok = false;
        }
        if (test.result === 'valid') expect(ok, `tcId ${test.tcId} ${test.comment}`).toBe(true);
        if (ok) {
          parsed++;
          expect(bytesEqual(p1363ToDer(derToP1363(sig, curve), curve), sig), `round trip of tcId ${test.tcId}`).toBe(true);
        }
      }
    }
    expect(parsed).toBeGreaterThan(curve === 'P-256' ? 174 : 194);
  });

  it('r||s signatures through p1363ToDer + verifySignature', () => {
    const file = loadEcdsaP1363(curve);
    const outcomes: VectorOutcome[] = [];
    for (const group of file.testGroups) {
      const key = keyOf(group.publicKeyDer);
      for (const test of group.tests) {
        let accepted = false;
        try {
          accepted = verifySignature(key, hexToBytes(test.msg), p1363ToDer(hexToBytes(test.sig), curve));
        } catch {
          accepted = false; // a wrong-length r||s cannot even be converted
        }
        outcomes.push({ tcId: test.tcId, accepted });
        if (test.result === 'valid') {
          const raw = hexToBytes(test.sig);
          expect(bytesEqual(derToP1363(p1363ToDer(raw), curve), raw), `round trip of tcId ${test.tcId}`).toBe(true);
        }
      }
    }
    const name = curve === 'P-256' ? 'ecdsa_secp256r1_sha256_p1363_test.json' : 'ecdsa_secp384r1_sha384_p1363_test.json';
    const report = evaluateOutcomes(name, file, outcomes);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(file.numberOfTests);
    assertAcceptableDecisions(report.acceptable, decisionFile(`${prefix}_p1363_acceptable.json`));
  });
});

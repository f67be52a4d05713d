/**
 * verifyCertificateChain / ChainVerifier against the project's certification-path corpus
 * (packages/test-vectors/chains): every case's verdict and reason code, for every order of
 * the trust anchors, intermediates and CRLs (all permutations of small lists, the reverse
 * order otherwise), and agreement with OpenSSL's recorded verdict wherever the corpus does
 * not document a deliberate difference.
 */
import { describe, expect, it } from 'vitest';
import { loadChainCorpus, type ChainCase } from '../../test-vectors/src/chains.js';
import { ChainVerifier, CertificatePathError, verifyCertificateChain } from '../src/chain/index.js';

const corpus = loadChainCorpus();

type Verdict = { valid: true } | { valid: false; reason: string };

function verdictOf(c: ChainCase, order: { anchors: number[]; intermediates: number[]; crls: number[] }): Verdict {
  try {
    verifyCertificateChain(c.leaf.bytes, {
      trustAnchors: order.anchors.map((i) => c.trustAnchors[i]!.bytes),
      intermediates: order.intermediates.map((i) => c.intermediates[i]!.bytes),
      crls: order.crls.map((i) => c.crls[i]!.bytes),
      revokedFingerprints: c.revokedFingerprints,
      at: c.at,
    });
    return { valid: true };
  } catch (error) {
    if (error instanceof CertificatePathError) return { valid: false, reason: error.reason };
    throw error;
  }
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

const identity = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** All orders when there are few, else the given and the reversed one. */
function orders(c: ChainCase): { anchors: number[]; intermediates: number[]; crls: number[] }[] {
  const a = permutations(c.trustAnchors.length);
  const b = permutations(c.intermediates.length);
  const d = permutations(c.crls.length);
  if (a.length * b.length * d.length <= 72) return a.flatMap((anchors) => b.flatMap((intermediates) => d.map((crls) => ({ anchors, intermediates, crls }))));
  const rev = (n: number) => identity(n).reverse();
  return [
    { anchors: identity(c.trustAnchors.length), intermediates: identity(c.intermediates.length), crls: identity(c.crls.length) },
    { anchors: rev(c.trustAnchors.length), intermediates: rev(c.intermediates.length), crls: rev(c.crls.length) },
  ];
}

describe('path validation over the chain corpus', () => {
  it('has the corpus (at least 60 cases)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
  });

  it.each(corpus.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const given = { anchors: identity(c.trustAnchors.length), intermediates: identity(c.intermediates.length), crls: identity(c.crls.length) };
    expect(verdictOf(c, given), c.description).toEqual(c.expected);
    for (const order of orders(c)) expect(verdictOf(c, order), JSON.stringify(order)).toEqual(c.expected);
    // Where the corpus does not say it differs from OpenSSL, the validity agrees with OpenSSL's.
    if (c.differsFromOpenssl === undefined) expect(c.expected.valid).toBe(c.openssl.verdict === 'ok');
  });

  it('gives the same verdicts through one reused ChainVerifier per configuration as through the one-shot function', () => {
    for (const c of corpus) {
      const verifier = new ChainVerifier({
        trustAnchors: c.trustAnchors.map((f) => f.bytes),
        intermediates: c.intermediates.map((f) => f.bytes),
        crls: c.crls.map((f) => f.bytes),
        revokedFingerprints: c.revokedFingerprints,
      });
      for (let round = 0; round < 2; round++) {
        let verdict: Verdict = { valid: true };
        try {
          verifier.verify(c.leaf.bytes, { at: c.at });
        } catch (error) {
          if (!(error instanceof CertificatePathError)) throw error;
          verdict = { valid: false, reason: error.reason };
        }
        expect(verdict, `${c.id} round ${round}`).toEqual(c.expected);
      }
    }
  });
});

/**
 * The path search must stay bounded when signature results are cached. Links between
 * configured certificates are verified once and remembered across validations, and a
 * remembered result cost nothing against MAX_SIGNATURE_CHECKS: a pool of same-named,
 * same-keyed intermediates (m per level, 7 levels) then let a warm verifier walk all m^7
 * paths on every validation.
 */
import { describe, expect, it } from 'vitest';
import { ChainVerifier } from '../src/chain/verifier.js';
import { CertificatePathError } from '../src/chain/errors.js';
import { AT, intermediate, leaf, newKey, root, type Issuer } from './chain-pki.js';

const PER_LEVEL = 8;
const LEVELS = 7;

/** Levels L6 (top, issued by a root nobody trusts) down to L0; every certificate of a level shares its name and key. */
function pool(): { intermediates: Issuer[]; bottom: Issuer } {
  const untrusted = root('Untrusted Root');
  const intermediates: Issuer[] = [];
  let above: Issuer = untrusted;
  for (let level = LEVELS - 1; level >= 0; level--) {
    const key = newKey();
    const certs = Array.from({ length: PER_LEVEL }, () => intermediate(`L${level}`, above, { key }));
    intermediates.push(...certs);
    above = certs[0]!;
  }
  return { intermediates, bottom: above };
}

describe('path search bound', () => {
  it('does not explore every path through a pool of look-alike intermediates, cold or warm', () => {
    const { intermediates, bottom } = pool();
    const verifier = new ChainVerifier({
      trustAnchors: [root('Trusted Root').certificate],
      intermediates: intermediates.map((i) => i.certificate),
    });
    const user = leaf('alice', bottom).certificate;
    // Enough validations for every link among the intermediates to be verified and cached.
    for (let round = 0; round < 12; round++) {
      const start = performance.now();
      let error: unknown;
      try {
        verifier.verify(user, { at: AT });
      } catch (caught) {
        error = caught;
      }
      const elapsed = performance.now() - start;
      expect(error).toBeInstanceOf(CertificatePathError);
      expect((error as CertificatePathError).reason).toBe('untrusted');
      expect(elapsed, `validation #${round + 1}`).toBeLessThan(250);
    }
  });
});

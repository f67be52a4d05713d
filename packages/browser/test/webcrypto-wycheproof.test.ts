/**
 * Wycheproof's PBES2 vectors and those of its building blocks through the WebCrypto backend
 * (Node's WebCrypto here; the same case runs in Chromium), including the lazy @noble paths
 * (AES-192).
 */
import { evaluateOutcomes, loadWycheproof, type VectorOutcome, type WycheproofFile, type WycheproofGroup } from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { keyCases } from './cases.js';

function expectAllPass<G extends WycheproofGroup>(name: string, file: WycheproofFile<G>, outcomes: VectorOutcome[]): void {
  const report = evaluateOutcomes(name, file, outcomes);
  expect(report.failures).toEqual([]);
  expect(report.passed).toBe(file.numberOfTests);
}

describe('Wycheproof through the WebCrypto backend', () => {
  it.each([
    'pbes2_hmacsha1_aes_128_test.json',
    'pbes2_hmacsha1_aes_256_test.json',
    'pbes2_hmacsha256_aes_128_test.json',
    'pbes2_hmacsha256_aes_192_test.json',
    'pbes2_hmacsha256_aes_256_test.json',
  ] as const)('PBES2: %s', async (fileName) => {
    const file = loadWycheproof(fileName);
    const { outcomes } = await keyCases.wycheproof({ kind: 'pbes2', fileName, file });
    expectAllPass(fileName, file, outcomes);
  });

  it.each(['pbkdf2_hmacsha1_test.json', 'pbkdf2_hmacsha256_test.json'] as const)('PBKDF2: %s', async (fileName) => {
    const file = loadWycheproof(fileName);
    const { outcomes } = await keyCases.wycheproof({ kind: 'pbkdf2', fileName, file });
    expectAllPass(fileName, file, outcomes);
  });

  it('HMAC-SHA256 (empty keys included): hmac_sha256_test.json', async () => {
    const file = loadWycheproof('hmac_sha256_test.json');
    const { outcomes } = await keyCases.wycheproof({ kind: 'hmac', fileName: 'hmac_sha256_test.json', file });
    expectAllPass('hmac_sha256_test.json', file, outcomes);
  });

  it('AES-CBC-PKCS#7 (128 and 256 via WebCrypto, 192 via @noble): bad padding → BadPaddingError', async () => {
    const file = loadWycheproof('aes_cbc_pkcs5_test.json');
    const { outcomes, otherErrors } = await keyCases.wycheproof({ kind: 'aes-cbc', fileName: 'aes_cbc_pkcs5_test.json', file });
    expectAllPass('aes_cbc_pkcs5_test.json', file, outcomes);
    expect(otherErrors).toEqual([]);
  });
});

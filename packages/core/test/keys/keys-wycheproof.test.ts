/**
 * The Wycheproof vectors of PBES2 and of its building blocks, through ecp's PBES2 code over
 * the node:crypto backend (@ecp/browser's tests run the same functions over WebCrypto).
 */
import { evaluateOutcomes, loadWycheproof, type VectorOutcome, type WycheproofFile, type WycheproofGroup } from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { nodeKeyFileCrypto } from '../../src/keys/node-backend.js';
import { aesCbcOutcomes, hmacSha256Outcomes, pbes2Outcomes, pbkdf2Outcomes } from './backend-vectors.js';

const PBES2_FILES = [
  'pbes2_hmacsha1_aes_128_test.json',
  'pbes2_hmacsha1_aes_256_test.json',
  'pbes2_hmacsha256_aes_128_test.json',
  'pbes2_hmacsha256_aes_192_test.json',
  'pbes2_hmacsha256_aes_256_test.json',
] as const;
const PBKDF2_FILES = ['pbkdf2_hmacsha1_test.json', 'pbkdf2_hmacsha256_test.json'] as const;

function expectAllPass<G extends WycheproofGroup>(name: string, file: WycheproofFile<G>, outcomes: VectorOutcome[]): void {
  const report = evaluateOutcomes(name, file, outcomes);
  expect(report.failures).toEqual([]);
  expect(report.passed).toBe(file.numberOfTests);
  expect(report.total).toBeGreaterThan(0);
}

describe('Wycheproof through the node:crypto backend', () => {
  it.each(PBES2_FILES)('PBES2 decryption and encryption: %s', async (name) => {
    const file = loadWycheproof(name);
    expectAllPass(name, file, await pbes2Outcomes(name, file, nodeKeyFileCrypto));
  });

  it.each(PBKDF2_FILES)('PBKDF2: %s', async (name) => {
    const file = loadWycheproof(name);
    expectAllPass(name, file, await pbkdf2Outcomes(name, file, nodeKeyFileCrypto));
  });

  it('HMAC-SHA256: hmac_sha256_test.json', async () => {
    const file = loadWycheproof('hmac_sha256_test.json');
    expectAllPass('hmac_sha256_test.json', file, await hmacSha256Outcomes(file, nodeKeyFileCrypto));
  });

  it('AES-CBC with PKCS#7 padding: aes_cbc_pkcs5_test.json (bad padding → BadPaddingError)', async () => {
    const file = loadWycheproof('aes_cbc_pkcs5_test.json');
    const { outcomes, otherErrors } = await aesCbcOutcomes(file, nodeKeyFileCrypto);
    expectAllPass('aes_cbc_pkcs5_test.json', file, outcomes);
    expect(otherErrors).toEqual([]);
  });
});

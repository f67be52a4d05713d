/**
 * The WebCrypto backend, loaded with the key-file code on first use rather than with the page
 * (see @ecp/core's keys/lazy.ts), wrapped to report the KDF's phases when asked to.
 */
import type { KeyFileCrypto } from '@ecp/core/portable';
import { reportingProgress, type ProgressCallback } from './progress.js';

export async function loadBackend(onProgress: ProgressCallback | undefined, after: 'decrypting' | 'encrypting'): Promise<KeyFileCrypto> {
  const { webCryptoKeyFileCrypto } = await import('./webcrypto-backend.js');
  return reportingProgress(webCryptoKeyFileCrypto, onProgress, after);
}

/**
 * `private_key.pem` made in the browser, identical in form to what the server and the CLI
 * write: PBES2 with PBKDF2-HMAC-SHA256 (600 000 iterations) and AES-256-CBC.
 */
import { DEFAULT_KEY_FILE_ITERATIONS, encryptPrivateKeyInfoPem } from '@ecp/core/portable';
import { reportingProgress, type ProgressCallback } from './progress.js';
import { webCryptoKeyFileCrypto } from './webcrypto-backend.js';

export interface EncryptPkcs8Options {
  /** PBKDF2 iterations (default 600 000). */
  iterations?: number;
  /** Called with 'deriving-key', then 'encrypting', then 'done'. */
  onProgress?: ProgressCallback;
}

/**
 * PEM `ENCRYPTED PRIVATE KEY` of an unencrypted P-256 PKCS#8 (as WebCrypto exports it);
 * any other key is refused with WrongCurveError.
 */
export async function encryptPkcs8(pkcs8: Uint8Array, passphrase: string, options: EncryptPkcs8Options = {}): Promise<string> {
  const backend = reportingProgress(webCryptoKeyFileCrypto, options.onProgress, 'encrypting');
  const pem = await encryptPrivateKeyInfoPem(pkcs8, passphrase, backend, {
    iterations: options.iterations ?? DEFAULT_KEY_FILE_ITERATIONS,
  });
  options.onProgress?.('done');
  return pem;
}

/**
 * The key file a user picks, as a non-extractable WebCrypto signing key. Every format of the
 * contract is read by @ecp/core's portable `readKeyFile` over the WebCrypto backend.
 */
import {
  InputTooLargeError,
  MAX_KEY_FILE_SIZE,
  PassphraseRequiredError,
  WrongPassphraseError,
  copyBytes,
  readKeyFile,
} from '@ecp/core/portable';
import { reportingProgress, type ProgressCallback } from './progress.js';
import { webCryptoKeyFileCrypto } from './webcrypto-backend.js';

export interface ReadPrivateKeyOptions {
  /** Called with 'deriving-key', then 'decrypting', then 'done' (PBKDF2 takes ~0.5 s on purpose). */
  onProgress?: ProgressCallback;
}

export type KeyFileInput = Blob | ArrayBuffer | Uint8Array | string;

async function toInput(file: KeyFileInput): Promise<Uint8Array | string> {
  if (typeof file === 'string' || file instanceof Uint8Array) return file;
  if (file instanceof ArrayBuffer) return new Uint8Array(file);
  // A Blob (a File from <input type="file">): refuse oversized ones before reading them.
  if (file.size > MAX_KEY_FILE_SIZE) throw new InputTooLargeError('the key file', MAX_KEY_FILE_SIZE);
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * Reads `private_key.pem`, `credentials.p12` or any other key file of the contract (format
 * detected from the content) into a non-extractable ECDSA P-256 key that can only sign.
 * Pass '' as the passphrase for files that have none.
 */
export async function readPrivateKey(file: KeyFileInput, passphrase: string, options: ReadPrivateKeyOptions = {}): Promise<CryptoKey> {
  const backend = reportingProgress(webCryptoKeyFileCrypto, options.onProgress, 'decrypting');
  let contents;
  try {
    contents = await readKeyFile(await toInput(file), passphrase, backend);
  } catch (error) {
    // An empty passphrase on an encrypted file is a forgotten one rather than a wrong one.
    if (passphrase === '' && error instanceof WrongPassphraseError) throw new PassphraseRequiredError();
    throw error;
  }
  const pkcs8 = copyBytes(contents.pkcs8);
  contents.pkcs8.fill(0);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  } finally {
    pkcs8.fill(0);
    options.onProgress?.('done');
  }
}

/**
 * The key-file operations as the portable entry exposes them: async functions that import()
 * their implementation on first use. A browser bundle thus keeps the parsers and writers
 * (PEM/DER detection, PKCS#8, SEC1, PBES2, PKCS#12) in lazy chunks, loaded when a page first
 * reads or writes a key file, not with the page. Bundlers can only split a module off when
 * no static import reaches it, which is why the portable entry re-exports only these
 * wrappers; the Node entry (keys/index.ts) also exports the parsers themselves.
 */
import type { KeyFileCrypto } from './crypto-backend.js';
import type { Pbes2EncryptOptions } from './pbes2.js';
import type { Pkcs12WriteInput } from './pkcs12-write.js';
import type { KeyFileContents } from './read-key-file.js';

/** See read-key-file.ts: any key file of the contract → unencrypted P-256 PKCS#8 + public point. */
export async function readKeyFile(input: Uint8Array | string, passphrase: string | undefined, backend: KeyFileCrypto): Promise<KeyFileContents> {
  return (await import('./read-key-file.js')).readKeyFile(input, passphrase, backend);
}

/** See encrypted-pkcs8.ts: EncryptedPrivateKeyInfo (DER) of a P-256 PrivateKeyInfo. */
export async function encryptPrivateKeyInfo(
  pkcs8: Uint8Array,
  passphrase: string,
  backend: KeyFileCrypto,
  options: Partial<Pbes2EncryptOptions> = {},
): Promise<Uint8Array> {
  return (await import('./encrypted-pkcs8.js')).encryptPrivateKeyInfo(pkcs8, passphrase, backend, options);
}

/** See encrypted-pkcs8.ts: the PEM `ENCRYPTED PRIVATE KEY` file of a P-256 PrivateKeyInfo. */
export async function encryptPrivateKeyInfoPem(
  pkcs8: Uint8Array,
  passphrase: string,
  backend: KeyFileCrypto,
  options: Partial<Pbes2EncryptOptions> = {},
): Promise<string> {
  return (await import('./encrypted-pkcs8.js')).encryptPrivateKeyInfoPem(pkcs8, passphrase, backend, options);
}

/** See pkcs12-write.ts: a .p12 shaped like OpenSSL 3's `openssl pkcs12 -export` output. */
export async function encodePkcs12(input: Pkcs12WriteInput, backend: KeyFileCrypto): Promise<Uint8Array> {
  return (await import('./pkcs12-write.js')).encodePkcs12(input, backend);
}

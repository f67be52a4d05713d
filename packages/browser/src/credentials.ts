/**
 * Client-side enrolment (contract §4, `POST /register` with a CSR): a new P-256 key made in
 * the page, saved by the user as an encrypted `private_key.pem`, and a PKCS#10 request
 * (CN = username) signed by that key. The server only ever sees the request.
 */
import {
  assembleCsr,
  copyBytes,
  csrToPem,
  ecdsaWithSha256Identifier,
  encodeCommonName,
  encodeCsrInfo,
  MalformedInputError,
  p1363ToDer,
} from '@ecp/core/portable';
import { generateEncryptedKey } from './keygen.js';
import type { ProgressCallback } from './progress.js';

/** X.520's upper bound for a common name, the same bound the server applies to usernames. */
const MAX_USERNAME_LENGTH = 64;

export interface GenerateCredentialsOptions {
  /** Becomes the CSR's subject CN; the server refuses a CSR whose CN is not the username. */
  username: string;
  /** Protects `private_key.pem`; the user types it again at every login. */
  passphrase: string;
  /** PBKDF2 iterations of the key file (default 600 000, the contract's minimum for files we make). */
  iterations?: number;
  /** 'deriving-key' → 'encrypting' → 'done' while the key file is written. */
  onProgress?: ProgressCallback;
}

export interface GeneratedCredentials {
  /** PEM `ENCRYPTED PRIVATE KEY` (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC): offer it for saving. */
  privateKeyPem: string;
  /** PEM `CERTIFICATE REQUEST`, CN = username, ecdsa-with-SHA256: send it to `POST /register`. */
  csrPem: string;
  /** The new key's public half (verify only). */
  publicKey: CryptoKey;
  /** The new key's private half, non-extractable, for signing a first challenge right away. */
  key: CryptoKey;
}

export function checkUsername(username: string): void {
  if (username.length === 0 || username.length > MAX_USERNAME_LENGTH || /\p{Cc}/u.test(username)) {
    throw new MalformedInputError(`the username must be 1 to ${MAX_USERNAME_LENGTH} characters, without control characters`);
  }
}

export function checkNewPassphrase(passphrase: string): void {
  if (passphrase.length === 0) throw new MalformedInputError('choose a passphrase: it protects the key file you are about to save');
}

/** A new key, its encrypted key file, and a CSR for it. */
export async function generateCredentials(options: GenerateCredentialsOptions): Promise<GeneratedCredentials> {
  checkUsername(options.username);
  checkNewPassphrase(options.passphrase);
  const generated = await generateEncryptedKey(options.passphrase, {
    ...(options.iterations !== undefined && { iterations: options.iterations }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const info = encodeCsrInfo(encodeCommonName(options.username), generated.spki);
  // WebCrypto signs r‖s (IEEE P1363); X.509 wants the DER ECDSA-Sig-Value.
  const raw = await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, generated.privateKey, copyBytes(info));
  const csr = assembleCsr(info, ecdsaWithSha256Identifier(), p1363ToDer(new Uint8Array(raw), 'P-256'));
  return { privateKeyPem: generated.privateKeyPem, csrPem: csrToPem(csr), publicKey: generated.publicKey, key: generated.privateKey };
}

/**
 * `credentials.p12` made in the page, once the server has returned the certificate: the key
 * from the encrypted `private_key.pem` (decrypted here, so the plaintext exists only for the
 * moment it takes) and the certificate, in the PKCS#12 OpenSSL 3 writes by default (PBES2
 * AES-256-CBC, HMAC-SHA256 MAC), which browsers and OS key stores import for TLS client auth.
 */
import {
  KeyCertificateMismatchError,
  bytesEqual,
  copyBytes,
  encodePkcs12,
  readCertificateKey,
  readKeyFile,
} from '@ecp/core/portable';
import { reportingProgress, type ProgressCallback } from './progress.js';
import { webCryptoKeyFileCrypto } from './webcrypto-backend.js';

export interface BuildPkcs12Options {
  /** The encrypted `private_key.pem` (or any key file `readPrivateKey` takes). */
  privateKeyPem: string;
  /** Its passphrase; it also protects the .p12. */
  passphrase: string;
  /** The certificate the server issued for this key (PEM). */
  certificatePem: string;
  /** The name key stores show for the credential (e.g. the username). */
  friendlyName?: string;
  onProgress?: ProgressCallback;
}

/**
 * The .p12 bytes (ready for `new Blob([...])`); throws KeyCertificateMismatchError if the
 * certificate is not this key's.
 */
export async function buildPkcs12(options: BuildPkcs12Options): Promise<Uint8Array<ArrayBuffer>> {
  // The certificate goes into the file as the server issued it; only its key is checked here.
  const certificate = readCertificateKey(options.certificatePem);
  const backend = reportingProgress(webCryptoKeyFileCrypto, options.onProgress, 'decrypting');
  const contents = await readKeyFile(options.privateKeyPem, options.passphrase, backend);
  try {
    if (!certificate.p256Point || !bytesEqual(certificate.p256Point, contents.publicKey)) {
      throw new KeyCertificateMismatchError();
    }
    const pkcs12 = await encodePkcs12(
      {
        pkcs8: contents.pkcs8,
        certificate: certificate.der,
        passphrase: options.passphrase,
        ...(options.friendlyName !== undefined && { friendlyName: options.friendlyName }),
      },
      webCryptoKeyFileCrypto,
    );
    return copyBytes(pkcs12);
  } finally {
    contents.pkcs8.fill(0);
    options.onProgress?.('done');
  }
}

/**
 * PKCS#12 for Node: `credentials.p12` from a KeyObject and a certificate, and back.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { bytesEqual } from '../bytes.js';
import { KeyCertificateMismatchError, UnsupportedKeyFormatError } from '../errors.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import { nodeKeyFileCrypto } from './node-backend.js';
import { exportP256Pkcs8 } from './node-keys.js';
import { readPkcs12Contents } from './pkcs12.js';
import { encodePkcs12 } from './pkcs12-write.js';

export interface WritePkcs12Options {
  readonly privateKey: KeyObject;
  readonly certificate: Certificate | Uint8Array;
  /** Further certificates (DER), e.g. the issuing CA. */
  readonly chain?: Uint8Array[];
  readonly passphrase: string;
  /** PBKDF2 iterations of the key and certificate encryption (default 2048, OpenSSL 3's). */
  readonly iterations?: number;
  readonly friendlyName?: string;
}

/** The uncompressed point of a P-256 KeyObject (the last 65 bytes of its 91-byte SPKI). */
function publicPoint(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.buffer, spki.byteOffset + spki.byteLength - 65, 65);
}

/**
 * A `.p12` shaped like OpenSSL 3's `pkcs12 -export` output (PBES2 AES-256-CBC with
 * PBKDF2-HMAC-SHA256 for key and certificates, HMAC-SHA256 MAC). The certificate must be
 * the key's own: KeyCertificateMismatchError otherwise.
 */
export async function writePkcs12(options: WritePkcs12Options): Promise<Uint8Array> {
  const pkcs8 = exportP256Pkcs8(options.privateKey);
  const certificate = options.certificate instanceof Uint8Array ? parseCertificate(options.certificate) : options.certificate;
  if (!bytesEqual(certificate.publicKey.key, publicPoint(options.privateKey))) throw new KeyCertificateMismatchError();
  try {
    return await encodePkcs12(
      {
        pkcs8,
        certificate: certificate.der,
        passphrase: options.passphrase,
        ...(options.chain && { chain: options.chain }),
        ...(options.iterations !== undefined && { iterations: options.iterations }),
        ...(options.friendlyName !== undefined && { friendlyName: options.friendlyName }),
      },
      nodeKeyFileCrypto,
    );
  } finally {
    pkcs8.fill(0);
  }
}

/** Reads a `.p12` holding a P-256 key and its certificate (any further certificates form `chain`). */
export async function readPkcs12(
  input: Uint8Array,
  passphrase: string,
): Promise<{ privateKey: KeyObject; certificate: Certificate; chain: Certificate[] }> {
  const contents = await readPkcs12Contents(input, passphrase, nodeKeyFileCrypto);
  const { pkcs8 } = contents.key;
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  pkcs8.fill(0);
  if (!contents.certificate) {
    throw new UnsupportedKeyFormatError(
      'a PKCS#12 file without the certificate of its key',
      'Export it again with the certificate: openssl pkcs12 -export -inkey private_key.pem -in certificate.pem -out credentials.p12',
    );
  }
  return {
    privateKey,
    certificate: parseCertificate(contents.certificate),
    chain: contents.chain.map((der) => parseCertificate(der)),
  };
}

/**
 * What `ecp inspect` reports about key files: private keys (plain, encrypted, SEC1), public
 * keys and PKCS#12. Reading is keys/'s job (`readKeyFile`); here only what it returns, and
 * for an encrypted file without its passphrase, what the envelope says (PBES2 parameters,
 * the PKCS#12 MAC) without decrypting anything.
 */
import { createPrivateKey } from 'node:crypto';
import { nodeKeyFileCrypto } from '../../keys/node-backend.js';
import { PassphraseRequiredError } from '../../keys/passphrase.js';
import { parseEncryptionAlgorithm, type Pbes2Parameters } from '../../keys/pbes2.js';
import { parsePfx } from '../../keys/pkcs12.js';
import { parseEncryptedPrivateKeyInfo } from '../../keys/pkcs8.js';
import { readKeyFile, type KeyFileContents } from '../../keys/read-key-file.js';
import { parseCertificate } from '../../x509/certificate.js';
import { decodePublicKeyInfo } from '../../x509/public-key.js';
import { spkiOf } from '../../x509/signing.js';
import { keyTypeLabel } from '../describe.js';
import { certificateFields, publicKeyFingerprints, type JsonObject } from './certificate-report.js';

/** Gives the passphrase when the user named a source for it; undefined otherwise (inspect never prompts). */
export type PassphraseProvider = () => Promise<string | undefined>;

const HMAC_NAMES: Readonly<Record<string, string>> = {
  'SHA-1': 'HMAC-SHA1',
  'SHA-224': 'HMAC-SHA224',
  'SHA-256': 'HMAC-SHA256',
  'SHA-384': 'HMAC-SHA384',
  'SHA-512': 'HMAC-SHA512',
};

function encryptionReport(parameters: Pbes2Parameters): JsonObject {
  return {
    scheme: 'PBES2',
    kdf: 'PBKDF2',
    prf: HMAC_NAMES[parameters.prf] ?? parameters.prf,
    iterations: parameters.iterations,
    salt_length: parameters.salt.length,
    cipher: parameters.cipher,
  };
}

/** The key's public half, for matching it with a certificate (`public_key_fingerprints`). */
function publicKeyOf(contents: KeyFileContents): JsonObject {
  const { pkcs8 } = contents;
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  pkcs8.fill(0);
  const publicKey = decodePublicKeyInfo(spkiOf(privateKey));
  return { key_type: keyTypeLabel(publicKey), public_key_fingerprints: publicKeyFingerprints(publicKey.spki) };
}

const NOT_DECRYPTED_NOTE = 'encrypted: give --passphrase-env NAME or --passphrase-file PATH to see the key';

/** A plain PKCS#8 or SEC1 key (PEM text or DER), or any other key block readKeyFile names. */
export async function privateKeyReport(input: Uint8Array | string): Promise<JsonObject> {
  const contents = await readKeyFile(input, undefined, nodeKeyFileCrypto);
  return { type: 'private-key', format: contents.format, encrypted: false, ...publicKeyOf(contents) };
}

/** An `ENCRYPTED PRIVATE KEY` (its DER): the envelope always, the key with a passphrase. */
export async function encryptedPrivateKeyReport(der: Uint8Array, passphrase: PassphraseProvider): Promise<JsonObject> {
  const info = parseEncryptedPrivateKeyInfo(der);
  const encryption = encryptionReport(parseEncryptionAlgorithm(info.algorithm, 'pkcs8'));
  const base: JsonObject = { type: 'private-key', format: 'encrypted-pkcs8', encrypted: true, encryption };
  const secret = await passphrase();
  if (secret === undefined) return { ...base, decrypted: false, note: NOT_DECRYPTED_NOTE };
  const contents = await readKeyFile(der, secret, nodeKeyFileCrypto);
  return { ...base, decrypted: true, ...publicKeyOf(contents) };
}

/**
 * A PKCS#12 file. Without a passphrase the empty one is tried (readKeyFile does), and if the
 * file needs a real one, only its MAC parameters are shown.
 */
export async function pkcs12Report(der: Uint8Array, passphrase: PassphraseProvider): Promise<JsonObject> {
  const { mac } = parsePfx(der);
  const base: JsonObject = { type: 'pkcs12', mac: mac ? { hash: mac.hash, iterations: mac.iterations } : null };
  let contents: KeyFileContents;
  try {
    contents = await readKeyFile(der, await passphrase(), nodeKeyFileCrypto);
  } catch (error) {
    if (error instanceof PassphraseRequiredError) {
      return { ...base, decrypted: false, note: 'encrypted: give --passphrase-env NAME or --passphrase-file PATH to see the key and certificates' };
    }
    throw error;
  }
  return {
    ...base,
    decrypted: true,
    private_key: publicKeyOf(contents),
    certificate: contents.certificate ? certificateFields(parseCertificate(contents.certificate)) : null,
    chain: (contents.chain ?? []).map((certificate) => certificateFields(parseCertificate(certificate))),
  };
}

export function publicKeyReport(der: Uint8Array): JsonObject {
  const key = decodePublicKeyInfo(der);
  return { type: 'public-key', key_type: keyTypeLabel(key), public_key_fingerprints: publicKeyFingerprints(key.spki) };
}

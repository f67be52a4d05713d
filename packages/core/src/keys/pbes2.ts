/**
 * PBES2 (RFC 8018 §6.2) with PBKDF2 and AES-CBC: the encryption of `ENCRYPTED PRIVATE KEY`
 * files and of modern PKCS#12 bags. The older schemes (PBES1, the PKCS#12 PBEs, 3DES, RC2,
 * DES) and scrypt are refused by name with advice, because WebCrypto cannot run them and a
 * key file is easy to re-encrypt.
 */
import { LegacyPkcs12Error, MalformedInputError, REEXPORT_ADVICE, UnsupportedKeyFormatError, WrongPassphraseError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import { readOctetString, readSmallInteger, sequence, type DerElement } from '../der/reader.js';
import * as der from '../der/writer.js';
import { readAlgorithm, type KeyFileAlgorithm } from './algorithm.js';
import { BadPaddingError, type KeyFileCrypto, type KeyFileHash } from './crypto-backend.js';
import { invertTable } from './invert-table.js';
import { MAX_PBKDF2_ITERATIONS } from './limits.js';

export type AesCbcCipher = 'AES-128-CBC' | 'AES-192-CBC' | 'AES-256-CBC';

export interface Pbes2Parameters {
  readonly prf: KeyFileHash;
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly cipher: AesCbcCipher;
  readonly iv: Uint8Array;
}

/** Where encrypted content was met: decides which error and advice a refusal carries. */
export type EncryptionContext = 'pkcs8' | 'pkcs12';

/** Advice for every encrypted key file ecp cannot decrypt: re-encrypt it the modern way. */
export const REENCRYPT_ADVICE =
  'Re-encrypt it with AES-256 and PBKDF2: openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in old.pem -out new.pem';

export { MAX_PBKDF2_ITERATIONS };
const MAX_SALT_LENGTH = 1024;
const AES_BLOCK = 16;

const SCRYPT_OID = '1.3.6.1.4.1.11591.4.11'; // RFC 7914 §7
const DES_CBC_OID = '1.3.14.3.2.7';

const KEY_LENGTH: Readonly<Record<AesCbcCipher, number>> = { 'AES-128-CBC': 16, 'AES-192-CBC': 24, 'AES-256-CBC': 32 };
const CIPHER_OID: Readonly<Record<AesCbcCipher, string>> = {
  'AES-128-CBC': OID.aes128Cbc,
  'AES-192-CBC': OID.aes192Cbc,
  'AES-256-CBC': OID.aes256Cbc,
};
const PRF_OID: Readonly<Record<KeyFileHash, string>> = {
  'SHA-1': OID.hmacWithSha1,
  'SHA-224': OID.hmacWithSha224,
  'SHA-256': OID.hmacWithSha256,
  'SHA-384': OID.hmacWithSha384,
  'SHA-512': OID.hmacWithSha512,
};
const CIPHER_BY_OID = invertTable(CIPHER_OID);
const PRF_BY_OID = invertTable(PRF_OID);

/**
 * The schemes that predate PBES2-with-AES, by the names OpenSSL gives them (its `-v1`,
 * `-keypbe` and `-v2` options), which is what users find in `openssl` output and manuals.
 */
const LEGACY_SCHEMES: Readonly<Record<string, string>> = {
  [OID.pbeWithShaAnd3KeyTripleDesCbc]: 'PBE-SHA1-3DES',
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: 'PBE-SHA1-2DES',
  [OID.pbeWithShaAnd128BitRc2Cbc]: 'PBE-SHA1-RC2-128',
  [OID.pbeWithShaAnd40BitRc2Cbc]: 'PBE-SHA1-RC2-40',
  [OID.pbeWithShaAnd128BitRc4]: 'PBE-SHA1-RC4-128',
  [OID.pbeWithShaAnd40BitRc4]: 'PBE-SHA1-RC4-40',
  '1.2.840.113549.1.5.1': 'PBE-MD2-DES',
  [OID.pbeWithMd5AndDesCbc]: 'PBE-MD5-DES',
  '1.2.840.113549.1.5.4': 'PBE-MD2-RC2-64',
  '1.2.840.113549.1.5.6': 'PBE-MD5-RC2-64',
  [OID.pbeWithSha1AndDesCbc]: 'PBE-SHA1-DES',
  '1.2.840.113549.1.5.11': 'PBE-SHA1-RC2-64',
  [OID.desEde3Cbc]: '3DES (des-ede3-cbc)',
  [OID.rc2Cbc]: 'RC2 (rc2-cbc)',
  [DES_CBC_OID]: 'DES (des-cbc)',
};

function refuse(context: EncryptionContext, what: string, legacy: boolean): never {
  if (context === 'pkcs12') {
    if (legacy) throw new LegacyPkcs12Error(what);
    throw new UnsupportedKeyFormatError(`PKCS#12 encrypted with ${what}`, REEXPORT_ADVICE);
  }
  throw new UnsupportedKeyFormatError(`a key encrypted with ${what}`, REENCRYPT_ADVICE);
}

/**
 * Reads an encryption AlgorithmIdentifier met in a key file and returns its PBES2
 * parameters, or refuses it by name (LegacyPkcs12Error inside PKCS#12 for the legacy
 * algorithms, UnsupportedKeyFormatError otherwise).
 */
export function parseEncryptionAlgorithm(algorithm: KeyFileAlgorithm, context: EncryptionContext): Pbes2Parameters {
  const legacy = LEGACY_SCHEMES[algorithm.oid];
  if (legacy) refuse(context, legacy, true);
  if (algorithm.oid !== OID.pbes2) refuse(context, `the unknown algorithm ${algorithm.oid}`, false);
  const what = 'PBES2 parameters';
  if (!algorithm.parameters) throw new MalformedInputError(`${what}: missing`);
  const fields = sequence(algorithm.parameters, what);
  const kdf = readAlgorithm(fields.next(TAG.SEQUENCE, 'keyDerivationFunc'), what);
  const scheme = readAlgorithm(fields.next(TAG.SEQUENCE, 'encryptionScheme'), what);
  fields.end();

  const cipher = CIPHER_BY_OID[scheme.oid];
  if (!cipher) {
    const name = LEGACY_SCHEMES[scheme.oid];
    refuse(context, name ?? `the cipher ${scheme.oid}`, name !== undefined);
  }
  if (kdf.oid === SCRYPT_OID) refuse(context, 'scrypt key derivation', false);
  if (kdf.oid !== OID.pbkdf2) refuse(context, `the key derivation ${kdf.oid}`, false);
  if (!kdf.parameters) throw new MalformedInputError(`${what}: PBKDF2 parameters missing`);
  if (!scheme.parameters) throw new MalformedInputError(`${what}: the cipher has no IV`);
  const iv = readOctetString(scheme.parameters, `${what}: IV`);
  if (iv.length !== AES_BLOCK) throw new MalformedInputError(`${what}: the IV must be 16 bytes`);
  return { ...readPbkdf2Parameters(kdf.parameters, cipher, context), cipher, iv };
}

function readPbkdf2Parameters(
  element: DerElement,
  cipher: AesCbcCipher,
  context: EncryptionContext,
): { prf: KeyFileHash; salt: Uint8Array; iterations: number } {
  const what = 'PBKDF2 parameters';
  const fields = sequence(element, what);
  const saltField = fields.next(undefined, 'salt');
  if (saltField.tag !== TAG.OCTET_STRING) refuse(context, 'PBKDF2 with a salt from another source', false);
  const salt = saltField.value;
  if (salt.length > MAX_SALT_LENGTH) throw new MalformedInputError(`${what}: salt longer than ${MAX_SALT_LENGTH} bytes`);
  const iterations = readSmallInteger(fields.next(TAG.INTEGER, 'iterationCount'), what, Number.MAX_SAFE_INTEGER);
  if (iterations < 1) throw new MalformedInputError(`${what}: the iteration count must be positive`);
  if (iterations > MAX_PBKDF2_ITERATIONS) {
    refuse(context, `PBKDF2 with ${iterations} iterations (ecp allows at most ${MAX_PBKDF2_ITERATIONS})`, false);
  }
  const keyLength = fields.optional(TAG.INTEGER);
  if (keyLength && readSmallInteger(keyLength, what) !== KEY_LENGTH[cipher]) {
    throw new MalformedInputError(`${what}: the key length does not match ${cipher}`);
  }
  const prfField = fields.optional(TAG.SEQUENCE);
  fields.end();
  if (!prfField) return { prf: 'SHA-1', salt, iterations }; // DEFAULT algid-hmacWithSHA1
  const prfAlgorithm = readAlgorithm(prfField, what);
  const prf = PRF_BY_OID[prfAlgorithm.oid];
  if (!prf) refuse(context, `PBKDF2 with the PRF ${prfAlgorithm.oid}`, false);
  const p = prfAlgorithm.parameters;
  if (p && (p.tag !== TAG.NULL || p.value.length !== 0)) throw new MalformedInputError(`${what}: PRF parameters must be NULL`);
  return { prf, salt, iterations };
}

/** Decrypts PBES2 content; a padding failure (the mark of a wrong passphrase) → WrongPassphraseError. */
export async function pbes2Decrypt(
  parameters: Pbes2Parameters,
  password: Uint8Array,
  ciphertext: Uint8Array,
  backend: KeyFileCrypto,
): Promise<Uint8Array> {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new MalformedInputError('encrypted content is not a whole number of AES blocks');
  }
  const key = await backend.pbkdf2(parameters.prf, password, parameters.salt, parameters.iterations, KEY_LENGTH[parameters.cipher]);
  try {
    return await backend.aesCbcDecrypt(key, parameters.iv, ciphertext);
  } catch (error) {
    if (error instanceof BadPaddingError) throw new WrongPassphraseError();
    throw error;
  } finally {
    key.fill(0);
  }
}

export interface Pbes2EncryptOptions {
  readonly iterations: number;
  /** Default SHA-256 (HMAC-SHA256), what the contract's files use. */
  readonly prf?: KeyFileHash;
  /** Default AES-256-CBC. */
  readonly cipher?: AesCbcCipher;
  /** Default 16 bytes (128 bits, NIST SP 800-132's minimum). */
  readonly saltLength?: number;
}

/** Encrypts with fresh salt and IV; returns the AlgorithmIdentifier (DER) and the ciphertext. */
export async function pbes2Encrypt(
  password: Uint8Array,
  plaintext: Uint8Array,
  backend: KeyFileCrypto,
  options: Pbes2EncryptOptions,
): Promise<{ algorithm: Uint8Array; ciphertext: Uint8Array }> {
  const { iterations, prf = 'SHA-256', cipher = 'AES-256-CBC', saltLength = 16 } = options;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be an integer from 1 to ${MAX_PBKDF2_ITERATIONS}`);
  }
  const parameters: Pbes2Parameters = {
    prf,
    salt: backend.randomBytes(saltLength),
    iterations,
    cipher,
    iv: backend.randomBytes(AES_BLOCK),
  };
  const key = await backend.pbkdf2(prf, password, parameters.salt, iterations, KEY_LENGTH[cipher]);
  try {
    const ciphertext = await backend.aesCbcEncrypt(key, parameters.iv, plaintext);
    return { algorithm: encodePbes2Algorithm(parameters), ciphertext };
  } finally {
    key.fill(0);
  }
}

/** The AlgorithmIdentifier of PBES2 parameters, shaped as OpenSSL writes it. */
export function encodePbes2Algorithm(p: Pbes2Parameters): Uint8Array {
  const pbkdf2 = der.sequence(
    der.octetString(p.salt),
    der.integer(p.iterations),
    // DER omits a DEFAULT value, and HMAC-SHA1 is the default PRF.
    ...(p.prf === 'SHA-1' ? [] : [der.sequence(der.oid(PRF_OID[p.prf]), der.nullValue())]),
  );
  return der.sequence(
    der.oid(OID.pbes2),
    der.sequence(
      der.sequence(der.oid(OID.pbkdf2), pbkdf2),
      der.sequence(der.oid(CIPHER_OID[p.cipher]), der.octetString(p.iv)),
    ),
  );
}

/**
 * One entry point for every key file a user may hold (contract §2): the format is detected
 * from the content, never from a file name. PEM (`ENCRYPTED PRIVATE KEY`, `PRIVATE KEY`,
 * `EC PRIVATE KEY`) or DER (PKCS#8, encrypted PKCS#8, SEC1, PKCS#12). Whatever it is, the
 * result is one unencrypted P-256 PKCS#8 ready for import, with its public point.
 */
import { fromUtf8 } from '../bytes.js';
import { InputTooLargeError, MalformedInputError, NotAKeyFileError, REEXPORT_ADVICE, UnsupportedKeyFormatError, WrongCurveError } from '../errors.js';
import { decodePemBlocks, looksLikePem, type PemBlock } from '../pem.js';
import * as TAG from '../der/tags.js';
import { childrenOf, decodeDer, readSmallInteger, type DerElement } from '../der/reader.js';
import type { KeyFileCrypto } from './crypto-backend.js';
import { decryptPrivateKeyInfo } from './encrypted-pkcs8.js';
import { normaliseP256Key, type P256PrivateKey } from './p256.js';
import { DamagedKeyFileError, PassphraseRequiredError } from './key-file-errors.js';
import { MAX_KEY_FILE_SIZE } from './limits.js';
import { REENCRYPT_ADVICE } from './pbes2.js';
import { parseEncryptedPrivateKeyInfo, parsePrivateKeyInfo } from './pkcs8.js';
import { parseEcPrivateKey } from './sec1.js';
import { readPkcs12Contents } from './pkcs12.js';

export { MAX_KEY_FILE_SIZE };

export type KeyFileFormat = 'pkcs8' | 'encrypted-pkcs8' | 'sec1' | 'pkcs12';

export interface KeyFileContents {
  /** Unencrypted P-256 PrivateKeyInfo (DER) with the public point. */
  readonly pkcs8: Uint8Array;
  /** The uncompressed public point (65 bytes). */
  readonly publicKey: Uint8Array;
  /** The key's certificate (DER), from a .p12 that holds it. */
  readonly certificate?: Uint8Array;
  /** The other certificates of a .p12 (DER), in file order. */
  readonly chain?: Uint8Array[];
  readonly format: KeyFileFormat;
}

const NOT_KEYS: Readonly<Record<string, string>> = {
  CERTIFICATE: 'a certificate',
  'X509 CERTIFICATE': 'a certificate',
  'TRUSTED CERTIFICATE': 'a certificate',
  'CERTIFICATE REQUEST': 'a certificate request',
  'NEW CERTIFICATE REQUEST': 'a certificate request',
  'PUBLIC KEY': 'a public key',
  'X509 CRL': 'a certificate revocation list',
};

const OTHER_KEYS: Readonly<Record<string, string>> = {
  'RSA PRIVATE KEY': 'an RSA key',
  'DSA PRIVATE KEY': 'a DSA key',
};

/**
 * Reads a key file. `passphrase` is needed for encrypted ones (PassphraseRequiredError
 * without it; a .p12 is first tried with the empty passphrase). Errors are typed and carry
 * advice: WrongPassphraseError, WrongCurveError (RSA, Ed25519, P-384...), NotAKeyFileError
 * (a certificate, text, random bytes), UnsupportedKeyFormatError / LegacyPkcs12Error (old
 * encryption, with the command that converts it), DamagedKeyFileError (truncated, corrupt).
 */
export async function readKeyFile(
  input: Uint8Array | string,
  passphrase: string | undefined,
  backend: KeyFileCrypto,
): Promise<KeyFileContents> {
  if (input.length > MAX_KEY_FILE_SIZE) throw new InputTooLargeError('the key file', MAX_KEY_FILE_SIZE);
  if (input.length === 0) throw new NotAKeyFileError('the file is empty');
  try {
    if (typeof input === 'string') return await readPem(input, passphrase, backend);
    if (looksLikePem(input)) return await readPem(decodeText(input), passphrase, backend);
    return await readDer(input, passphrase, backend);
  } catch (error) {
    if (error instanceof MalformedInputError && !(error instanceof DamagedKeyFileError)) throw new DamagedKeyFileError(error);
    throw error;
  }
}

function decodeText(input: Uint8Array): string {
  try {
    return fromUtf8(input);
  } catch {
    throw new NotAKeyFileError('text that is not UTF-8');
  }
}

async function readPem(text: string, passphrase: string | undefined, backend: KeyFileCrypto): Promise<KeyFileContents> {
  const blocks = decodePemBlocks(text, MAX_KEY_FILE_SIZE);
  const key = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!key) {
    const begin = /-----BEGIN ([^\r\n-]*)-----/.exec(text);
    if (blocks.length === 0 && begin) {
      throw new MalformedInputError(`the PEM block "${begin[1]}" has no END line`);
    }
    const first = blocks[0];
    throw new NotAKeyFileError(first ? (NOT_KEYS[first.label] ?? `a PEM "${first.label}" block`) : 'a text file without a PEM key block');
  }
  return readPemKey(key, passphrase, backend);
}

async function readPemKey(block: PemBlock, passphrase: string | undefined, backend: KeyFileCrypto): Promise<KeyFileContents> {
  switch (block.label) {
    case 'ENCRYPTED PRIVATE KEY':
      return readEncryptedPkcs8(decodeDer(block.der, 'encrypted PKCS#8 private key'), passphrase, backend);
    case 'PRIVATE KEY':
      return finish(parsePrivateKeyInfo(block.der), 'pkcs8', backend);
    case 'EC PRIVATE KEY':
      if (/ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '')) {
        throw new UnsupportedKeyFormatError('an EC PRIVATE KEY with legacy OpenSSL PEM encryption', REENCRYPT_ADVICE);
      }
      return finish(parseEcPrivateKey(decodeDer(block.der, 'EC private key')), 'sec1', backend);
    case 'OPENSSH PRIVATE KEY':
      throw new UnsupportedKeyFormatError('an OpenSSH private key', 'Convert it to PKCS#8 first: ssh-keygen -p -m PKCS8 -f <key file>');
    default: {
      const other = OTHER_KEYS[block.label];
      if (other) throw new WrongCurveError(other);
      throw new NotAKeyFileError(`a PEM "${block.label}" block`);
    }
  }
}

async function readEncryptedPkcs8(element: DerElement, passphrase: string | undefined, backend: KeyFileCrypto): Promise<KeyFileContents> {
  const info = parseEncryptedPrivateKeyInfo(element);
  if (passphrase === undefined) throw new PassphraseRequiredError();
  return finish(await decryptPrivateKeyInfo(info, passphrase, backend), 'encrypted-pkcs8', backend);
}

async function finish(key: P256PrivateKey, format: KeyFileFormat, backend: KeyFileCrypto): Promise<KeyFileContents> {
  return { ...(await normaliseP256Key(key, backend)), format };
}

/** UTF-8 without control characters other than tab, CR and LF. */
function isText(input: Uint8Array): boolean {
  try {
    return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(fromUtf8(input));
  } catch {
    return false;
  }
}

/**
 * DER is told apart by the shape of its top-level SEQUENCE. Bytes that do not even start
 * like DER are "not a key file"; bytes that do but break off are malformed (a truncated download).
 */
async function readDer(input: Uint8Array, passphrase: string | undefined, backend: KeyFileCrypto): Promise<KeyFileContents> {
  if (input[0] !== TAG.SEQUENCE) throw new NotAKeyFileError(isText(input) ? 'a text file without a PEM key block' : 'neither PEM text nor DER');
  // Indefinite lengths: BER, which some PKCS#12 writers (Java, NSS) emit and DER forbids.
  if (input[1] === 0x80) throw new UnsupportedKeyFormatError('a BER-encoded (not DER) key file', REEXPORT_ADVICE);
  const top = decodeDer(input, 'key file');
  const [first, second, third] = childrenOf(top, 'key file');
  if (first?.tag === TAG.INTEGER && second) {
    const version = readSmallInteger(first, 'key file version');
    if (version === 3 && second.tag === TAG.SEQUENCE) {
      const p12 = await readPkcs12Contents(input, passphrase, backend).catch((error: unknown) => {
        if (error instanceof MalformedInputError && /not DER/.test(error.message)) {
          throw new UnsupportedKeyFormatError('a PKCS#12 file with BER (not DER) encoded parts', REEXPORT_ADVICE);
        }
        throw error;
      });
      return {
        ...p12.key,
        ...(p12.certificate && { certificate: p12.certificate }),
        chain: p12.chain,
        format: 'pkcs12',
      };
    }
    if (version <= 1 && second.tag === TAG.SEQUENCE) return finish(parsePrivateKeyInfo(top), 'pkcs8', backend);
    if (version === 1 && second.tag === TAG.OCTET_STRING) return finish(parseEcPrivateKey(top), 'sec1', backend);
    if (version === 0 && second.tag === TAG.INTEGER) throw new WrongCurveError('an RSA key');
  }
  if (first?.tag === TAG.SEQUENCE) {
    if (second?.tag === TAG.OCTET_STRING && !third) return readEncryptedPkcs8(top, passphrase, backend);
    if (second?.tag === TAG.SEQUENCE && third?.tag === TAG.BIT_STRING) {
      throw new NotAKeyFileError('a certificate, certificate request or CRL');
    }
    if (second?.tag === TAG.BIT_STRING && !third) throw new NotAKeyFileError('a public key');
  }
  throw new NotAKeyFileError('DER data of an unknown kind');
}

/**
 * Reading PKCS#12 (RFC 7292) `.p12`/`.pfx` files in password integrity and privacy modes:
 * the AuthenticatedSafe's `data` and `encryptedData` (PBES2) parts, key bags (plain and
 * shrouded), X.509 certificate bags and nested SafeContents. Legacy encryption is refused by
 * name before any passphrase is tried, the MAC is checked before anything is decrypted.
 */
import { bytesEqual } from '../bytes.js';
import {
  KeyCertificateMismatchError,
  MalformedInputError,
  REEXPORT_ADVICE,
  NotAKeyFileError,
  UnsupportedKeyFormatError,
  WrongCurveError,
  WrongPassphraseError,
} from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import {
  childrenOf,
  contextConstructed,
  contextPrimitive,
  decodeDer,
  readOctetString,
  readOid,
  readSmallInteger,
  sequence,
  type DerElement,
} from '../der/reader.js';
import { readCertificateKey } from '../x509/certificate-key.js';
import { readAlgorithm } from './algorithm.js';
import type { KeyFileCrypto } from './crypto-backend.js';
import { decryptPrivateKeyInfo } from './encrypted-pkcs8.js';
import { normaliseP256Key, type NormalisedP256Key, type P256PrivateKey } from './p256.js';
import { PassphraseRequiredError } from './key-file-errors.js';
import { bmpPassword, pbes2Password } from './passphrase.js';
import { parseEncryptionAlgorithm, pbes2Decrypt, type Pbes2Parameters } from './pbes2.js';
import { parseMacData, verifyMac, type MacData } from './pkcs12-mac.js';
import { parseEncryptedPrivateKeyInfo, parsePrivateKeyInfo, type EncryptedPrivateKeyInfo } from './pkcs8.js';

const WHAT = 'PKCS#12';
/** Bounds on structure a file may impose: bags in total and SafeContents nesting. */
const MAX_BAGS = 64;
const MAX_NESTING = 4;
/**
 * Password-based decryptions (encrypted SafeContents + shrouded keys) one file may ask
 * for. Each may cost up to MAX_PBKDF2_ITERATIONS; without a bound, a crafted file opened
 * with a known passphrase could demand hundreds of millions of iterations. OpenSSL writes 2.
 */
export const MAX_PKCS12_DECRYPTIONS = 8;

function checkDecryptionCount(count: number): void {
  if (count > MAX_PKCS12_DECRYPTIONS) {
    throw new MalformedInputError(`${WHAT}: more than ${MAX_PKCS12_DECRYPTIONS} encrypted parts`);
  }
}
const ENVELOPED_DATA_OID = '1.2.840.113549.1.7.3';

interface KeyEntry {
  /** The bag's localKeyId attribute, which OpenSSL gives a key and its certificate alike. */
  readonly keyId?: Uint8Array | undefined;
  readonly plain?: DerElement;
  readonly shrouded?: EncryptedPrivateKeyInfo;
}

interface CertificateEntry {
  readonly der: Uint8Array;
  readonly keyId?: Uint8Array | undefined;
}

interface EncryptedSafe {
  readonly parameters: Pbes2Parameters;
  readonly ciphertext: Uint8Array;
}

class Bags {
  readonly keys: KeyEntry[] = [];
  readonly certificates: CertificateEntry[] = [];
  private count = 0;
  add(): void {
    if (++this.count > MAX_BAGS) throw new MalformedInputError(`${WHAT}: more than ${MAX_BAGS} bags`);
  }
}

/** The single element inside an EXPLICIT [0]. */
function explicitContent(element: DerElement, what: string): DerElement {
  const children = childrenOf(element, what);
  if (children.length !== 1) throw new MalformedInputError(`${what}: expected one element inside [0]`);
  return children[0]!;
}

function readContentInfo(element: DerElement): { type: string; content?: DerElement } {
  const fields = sequence(element, `${WHAT} ContentInfo`);
  const type = readOid(fields.next(TAG.OID, 'contentType'), WHAT);
  const wrapped = fields.optional(contextConstructed(0));
  fields.end();
  return wrapped ? { type, content: explicitContent(wrapped, `${WHAT} ContentInfo`) } : { type };
}

function dataOctets(info: { type: string; content?: DerElement }): Uint8Array {
  if (!info.content) throw new MalformedInputError(`${WHAT}: data without content`);
  return readOctetString(info.content, `${WHAT} data`);
}

export interface Pfx {
  readonly authSafe: Uint8Array;
  readonly mac?: MacData;
}

/** PFX: version 3, the AuthenticatedSafe as `data`, and the optional MacData. */
export function parsePfx(input: Uint8Array): Pfx {
  const fields = sequence(decodeDer(input, WHAT), WHAT);
  const version = readSmallInteger(fields.next(TAG.INTEGER, 'version'), WHAT);
  if (version !== 3) throw new MalformedInputError(`${WHAT}: version ${version}, expected 3`);
  const authSafe = readContentInfo(fields.next(TAG.SEQUENCE, 'authSafe'));
  const macField = fields.optional(TAG.SEQUENCE);
  fields.end();
  if (authSafe.type === OID.signedData) {
    throw new UnsupportedKeyFormatError('a PKCS#12 file in public-key integrity mode (signed)', REEXPORT_ADVICE);
  }
  if (authSafe.type !== OID.data) throw new MalformedInputError(`${WHAT}: the authSafe is not data`);
  const authSafeBytes = dataOctets(authSafe);
  return macField ? { authSafe: authSafeBytes, mac: parseMacData(macField) } : { authSafe: authSafeBytes };
}

/** The AuthenticatedSafe: plain parts are read into `bags` now, encrypted ones returned. */
function parseAuthenticatedSafe(bytes: Uint8Array, bags: Bags): EncryptedSafe[] {
  const encrypted: EncryptedSafe[] = [];
  for (const part of childrenOf(expectSequence(decodeDer(bytes, WHAT)), WHAT)) {
    const info = readContentInfo(part);
    if (info.type === OID.data) parseSafeContents(dataOctets(info), bags, 0);
    else if (info.type === OID.encryptedData && info.content) encrypted.push(parseEncryptedData(info.content));
    else if (info.type === ENVELOPED_DATA_OID) {
      throw new UnsupportedKeyFormatError('a PKCS#12 file encrypted to a public key', REEXPORT_ADVICE);
    } else throw new MalformedInputError(`${WHAT}: unexpected content type ${info.type}`);
  }
  return encrypted;
}

function expectSequence(element: DerElement): DerElement {
  if (element.tag !== TAG.SEQUENCE) throw new MalformedInputError(`${WHAT}: expected a SEQUENCE`);
  return element;
}

/** EncryptedData (RFC 5652 §8) whose content is encrypted with PBES2. */
function parseEncryptedData(element: DerElement): EncryptedSafe {
  const what = `${WHAT} encryptedData`;
  const fields = sequence(element, what);
  readSmallInteger(fields.next(TAG.INTEGER, 'version'), what);
  const info = sequence(fields.next(TAG.SEQUENCE, 'encryptedContentInfo'), what);
  if (readOid(info.next(TAG.OID, 'contentType'), what) !== OID.data) throw new MalformedInputError(`${what}: content is not data`);
  const algorithm = readAlgorithm(info.next(TAG.SEQUENCE, 'contentEncryptionAlgorithm'), what);
  const content = info.next(contextPrimitive(0), 'encryptedContent');
  info.end();
  fields.optional(contextConstructed(1)); // unprotectedAttrs
  fields.end();
  return { parameters: parseEncryptionAlgorithm(algorithm, 'pkcs12'), ciphertext: content.value };
}

function parseSafeContents(bytes: Uint8Array, bags: Bags, depth: number): void {
  const contents = expectSequence(decodeDer(bytes, `${WHAT} SafeContents`));
  parseBags(contents, bags, depth);
}

function parseBags(contents: DerElement, bags: Bags, depth: number): void {
  if (depth > MAX_NESTING) throw new MalformedInputError(`${WHAT}: SafeContents nested too deeply`);
  for (const bag of childrenOf(contents, WHAT)) {
    bags.add();
    const fields = sequence(bag, `${WHAT} SafeBag`);
    const bagId = readOid(fields.next(TAG.OID, 'bagId'), WHAT);
    const value = explicitContent(fields.next(contextConstructed(0), 'bagValue'), `${WHAT} SafeBag`);
    const attributesField = fields.optional(TAG.SET);
    fields.end();
    const keyId = attributesField && readLocalKeyId(attributesField);
    switch (bagId) {
      case OID.keyBag:
        bags.keys.push({ keyId, plain: value });
        break;
      case OID.pkcs8ShroudedKeyBag: {
        const shrouded = parseEncryptedPrivateKeyInfo(value);
        parseEncryptionAlgorithm(shrouded.algorithm, 'pkcs12'); // refuse legacy ones before the MAC
        bags.keys.push({ keyId, shrouded });
        break;
      }
      case OID.certBag: {
        const cert = sequence(value, `${WHAT} CertBag`);
        const certType = readOid(cert.next(TAG.OID, 'certId'), WHAT);
        const certValue = explicitContent(cert.next(contextConstructed(0), 'certValue'), `${WHAT} CertBag`);
        cert.end();
        if (certType === OID.x509Certificate) {
          bags.certificates.push({ der: readOctetString(certValue, `${WHAT} certificate`), keyId });
        }
        break;
      }
      case OID.safeContentsBag:
        parseBags(expectSequence(value), bags, depth + 1);
        break;
      default: // CRLs, secrets and unknown bags carry nothing a signer needs
        break;
    }
  }
}

/**
 * The localKeyId attribute (RFC 2985), the only one a signer uses: it breaks ties when
 * several certificates carry the key's public key. friendlyName and others are skipped.
 */
function readLocalKeyId(set: DerElement): Uint8Array | undefined {
  let localKeyId: Uint8Array | undefined;
  for (const attribute of childrenOf(set, WHAT)) {
    const fields = sequence(attribute, `${WHAT} attribute`);
    const type = readOid(fields.next(TAG.OID, 'attrId'), WHAT);
    const [first] = childrenOf(fields.next(TAG.SET, 'attrValues'), WHAT);
    fields.end();
    if (first && type === OID.localKeyId) localKeyId = readOctetString(first, `${WHAT} localKeyId`);
  }
  return localKeyId;
}

export interface Pkcs12KeyAndCertificates {
  readonly key: NormalisedP256Key;
  /** The key's own certificate (DER), when the file holds it. */
  readonly certificate?: Uint8Array;
  /** Every other certificate in the file (DER), in file order. */
  readonly chain: Uint8Array[];
}

/**
 * Reads a PKCS#12 file and returns its P-256 key with the certificate whose public key is
 * the key's. `passphrase` undefined is tried as the empty passphrase (OpenSSL's
 * `-passout pass:`); if that fails, PassphraseRequiredError.
 */
export async function readPkcs12Contents(
  input: Uint8Array,
  passphrase: string | undefined,
  backend: KeyFileCrypto,
): Promise<Pkcs12KeyAndCertificates> {
  const pfx = parsePfx(input);
  const bags = new Bags();
  const encrypted = parseAuthenticatedSafe(pfx.authSafe, bags);
  checkDecryptionCount(encrypted.length + bags.keys.filter((k) => k.shrouded).length); // before any KDF runs
  const secret = passphrase ?? '';

  if (pfx.mac) {
    // The empty passphrase has two encodings in the wild: the BMPString terminator 00 00
    // (RFC 7292, OpenSSL) and no bytes at all (some writers): try both.
    const candidates = secret === '' ? [bmpPassword(''), new Uint8Array(0)] : [bmpPassword(secret)];
    if (!(await verifyMac(pfx.mac, candidates, pfx.authSafe, backend))) {
      throw passphrase === undefined ? new PassphraseRequiredError() : new WrongPassphraseError();
    }
  }
  for (const safe of encrypted) {
    const plaintext = await pbes2Decrypt(safe.parameters, pbes2Password(secret), safe.ciphertext, backend);
    try {
      parseSafeContents(plaintext, bags, 0);
    } catch (error) {
      // Without a MAC, garbage that happens to pad correctly is a wrong passphrase too.
      if (!pfx.mac && error instanceof MalformedInputError) throw new WrongPassphraseError();
      throw error;
    }
  }
  checkDecryptionCount(encrypted.length + bags.keys.filter((k) => k.shrouded).length); // keys found inside encrypted parts
  return selectKeyAndCertificate(await readKeys(bags.keys, secret, backend), bags.certificates);
}

async function readKeys(
  entries: readonly KeyEntry[],
  passphrase: string,
  backend: KeyFileCrypto,
): Promise<{ key: NormalisedP256Key; keyId?: Uint8Array | undefined }[]> {
  const keys: { key: NormalisedP256Key; keyId?: Uint8Array | undefined }[] = [];
  let otherCurve: WrongCurveError | undefined;
  for (const entry of entries) {
    let key: P256PrivateKey;
    try {
      key = entry.shrouded
        ? await decryptPrivateKeyInfo(entry.shrouded, passphrase, backend, 'pkcs12')
        : parsePrivateKeyInfo(entry.plain!);
    } catch (error) {
      if (!(error instanceof WrongCurveError)) throw error;
      otherCurve ??= error;
      continue;
    }
    keys.push({ key: await normaliseP256Key(key, backend), keyId: entry.keyId });
  }
  if (keys.length === 0 && otherCurve) throw otherCurve;
  return keys;
}

/**
 * The P-256 point of a certificate (see x509/certificate-key.ts), or undefined for another
 * key type or a certificate that is not DER, to pair the key with its certificate; wherever
 * a certificate is used, x509/ parses it in full.
 */
function certificatePoint(certificateDer: Uint8Array): Uint8Array | undefined {
  try {
    return readCertificateKey(certificateDer).p256Point;
  } catch {
    return undefined; // such a certificate cannot be the key's own; it stays in the chain
  }
}

const sameId = (a?: Uint8Array, b?: Uint8Array): boolean => a !== undefined && b !== undefined && bytesEqual(a, b);

/**
 * Pairs the key with its certificate by public key (localKeyId only breaks ties: it is a
 * label, not a proof). No certificate at all: the key alone. Certificates of which none is
 * the key's: KeyCertificateMismatchError.
 */
function selectKeyAndCertificate(
  keys: readonly { key: NormalisedP256Key; keyId?: Uint8Array | undefined }[],
  certificates: readonly CertificateEntry[],
): Pkcs12KeyAndCertificates {
  if (keys.length === 0) {
    throw new NotAKeyFileError(certificates.length ? 'a PKCS#12 file with certificates only' : 'an empty PKCS#12 file');
  }
  const points = certificates.map((c) => certificatePoint(c.der));
  for (const { key, keyId } of keys) {
    const matching = certificates.filter((_, i) => points[i] !== undefined && bytesEqual(points[i]!, key.publicKey));
    const leaf = matching.find((c) => sameId(c.keyId, keyId)) ?? matching[0];
    if (leaf) return { key, certificate: leaf.der, chain: certificates.filter((c) => c !== leaf).map((c) => c.der) };
  }
  if (certificates.length === 0) return { key: keys[0]!.key, chain: [] };
  throw new KeyCertificateMismatchError();
}

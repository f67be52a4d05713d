/**
 * The PKCS#12 integrity MAC (RFC 7292 §4 MacData): HMAC over the AuthenticatedSafe with a
 * key from the PKCS#12 KDF (appendix B.2). The KDF is a construction over the backend's
 * digest, not a primitive: it only arranges bytes and iterates the hash.
 */
import { concatBytes, timingSafeEqual } from '../bytes.js';
import { LegacyPkcs12Error, MalformedInputError, REEXPORT_ADVICE, UnsupportedKeyFormatError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import { readOctetString, readSmallInteger, sequence, type DerElement } from '../der/reader.js';
import * as der from '../der/writer.js';
import { readAlgorithm } from './algorithm.js';
import { HASH_BLOCK_SIZE, HASH_LENGTH, type KeyFileCrypto, type KeyFileHash } from './crypto-backend.js';
import { invertTable } from './invert-table.js';
import { MAX_MAC_ITERATIONS } from './limits.js';

export interface MacData {
  readonly hash: KeyFileHash;
  readonly digest: Uint8Array;
  readonly salt: Uint8Array;
  readonly iterations: number;
}

export { MAX_MAC_ITERATIONS };
const MAX_MAC_SALT_LENGTH = 1024;

const HASH_OID: Readonly<Record<KeyFileHash, string>> = {
  'SHA-1': OID.sha1,
  'SHA-224': OID.sha224,
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};
const MAC_HASH = invertTable(HASH_OID);
const PBMAC1_OID = '1.2.840.113549.1.5.14'; // RFC 9579

export function parseMacData(element: DerElement): MacData {
  const what = 'PKCS#12 MAC';
  const fields = sequence(element, what);
  const digestInfo = sequence(fields.next(TAG.SEQUENCE, 'mac'), what);
  const algorithm = readAlgorithm(digestInfo.next(TAG.SEQUENCE, 'digestAlgorithm'), what);
  const digest = readOctetString(digestInfo.next(TAG.OCTET_STRING, 'digest'), what);
  digestInfo.end();
  const salt = readOctetString(fields.next(TAG.OCTET_STRING, 'macSalt'), what);
  const iterationsField = fields.optional(TAG.INTEGER);
  fields.end();

  const hash = MAC_HASH[algorithm.oid];
  if (!hash) {
    if (algorithm.oid === OID.md5) throw new LegacyPkcs12Error('MD5 integrity MAC');
    throw new UnsupportedKeyFormatError(
      `a PKCS#12 integrity check with ${algorithm.oid === PBMAC1_OID ? 'PBMAC1' : algorithm.oid}`,
      REEXPORT_ADVICE,
    );
  }
  if (digest.length !== HASH_LENGTH[hash]) throw new MalformedInputError(`${what}: wrong digest length`);
  if (salt.length > MAX_MAC_SALT_LENGTH) throw new MalformedInputError(`${what}: salt too long`);
  const iterations = iterationsField ? readSmallInteger(iterationsField, what, Number.MAX_SAFE_INTEGER) : 1;
  if (iterations < 1) throw new MalformedInputError(`${what}: the iteration count must be positive`);
  if (iterations > MAX_MAC_ITERATIONS) {
    throw new UnsupportedKeyFormatError(
      `a PKCS#12 MAC with ${iterations} iterations (ecp allows at most ${MAX_MAC_ITERATIONS})`,
      REEXPORT_ADVICE,
    );
  }
  return { hash, digest, salt, iterations };
}

/** `source` repeated to fill a multiple of `v` bytes (empty stays empty), as B.2 steps 2–3 do. */
function repeatToBlocks(source: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(source.length / v));
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
  return out;
}

/**
 * RFC 7292 B.2 with ID 3 (MAC key), for outputs of at most one digest, which is all a MAC
 * key is: A = H^iterations(D ‖ S ‖ P). (Longer outputs would need the I-block update.)
 */
export async function pkcs12MacKey(
  hash: KeyFileHash,
  bmpPassword: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  backend: Pick<KeyFileCrypto, 'digest'>,
): Promise<Uint8Array> {
  const v = HASH_BLOCK_SIZE[hash];
  const diversifier = new Uint8Array(v).fill(3);
  const input = concatBytes(diversifier, repeatToBlocks(salt, v), repeatToBlocks(bmpPassword, v));
  let a = await backend.digest(hash, input);
  input.fill(0);
  for (let i = 1; i < iterations; i++) a = await backend.digest(hash, a);
  return a;
}

export async function computeMac(
  mac: Omit<MacData, 'digest'>,
  bmpPassword: Uint8Array,
  data: Uint8Array,
  backend: Pick<KeyFileCrypto, 'digest' | 'hmac'>,
): Promise<Uint8Array> {
  const key = await pkcs12MacKey(mac.hash, bmpPassword, mac.salt, mac.iterations, backend);
  try {
    return await backend.hmac(mac.hash, key, data);
  } finally {
    key.fill(0);
  }
}

/** True when one of the candidate password encodings reproduces the MAC (constant-time compare). */
export async function verifyMac(
  mac: MacData,
  candidates: readonly Uint8Array[],
  data: Uint8Array,
  backend: Pick<KeyFileCrypto, 'digest' | 'hmac'>,
): Promise<boolean> {
  for (const password of candidates) {
    if (timingSafeEqual(await computeMac(mac, password, data, backend), mac.digest)) return true;
  }
  return false;
}

export const encodeMacData = (mac: MacData): Uint8Array =>
  der.sequence(
    der.sequence(der.sequence(der.oid(HASH_OID[mac.hash]), der.nullValue()), der.octetString(mac.digest)),
    der.octetString(mac.salt),
    der.integer(mac.iterations),
  );

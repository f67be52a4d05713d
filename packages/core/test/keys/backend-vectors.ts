/**
 * Wycheproof vectors run through any {@link KeyFileCrypto} backend. Portable (no Node
 * imports, plain JSON in, outcomes out), so the same functions check the node:crypto backend
 * here, the WebCrypto backend in @ecp/browser's tests, and can be shipped into a real browser.
 */
import type {
  IndCpaTestGroup,
  MacTestGroup,
  PbeTestGroup,
  PbkdfTestGroup,
  VectorOutcome,
  WycheproofFile,
} from '@ecp/test-vectors';
import { bytesEqual, fromHex, toHex } from '../../src/bytes.js';
import { MalformedInputError } from '../../src/errors.js';
import { BadPaddingError, type KeyFileCrypto, type KeyFileHash } from '../../src/keys/crypto-backend.js';
import { pbes2Decrypt, type AesCbcCipher } from '../../src/keys/pbes2.js';

/** The PRF and cipher a `pbes2_hmacsha<N>_aes_<K>_test.json` file is about, from its name. */
export function pbes2Suite(fileName: string): { prf: KeyFileHash; cipher: AesCbcCipher } {
  const m = /^pbes2_hmacsha(1|224|256|384|512)_aes_(128|192|256)_test\.json$/.exec(fileName);
  if (!m) throw new Error(`not a PBES2 vector file: ${fileName}`);
  return { prf: `SHA-${m[1]}` as KeyFileHash, cipher: `AES-${m[2]}-CBC` as AesCbcCipher };
}

export function pbkdf2Hash(fileName: string): KeyFileHash {
  const m = /^pbkdf2_hmacsha(1|224|256|384|512)_test\.json$/.exec(fileName);
  if (!m) throw new Error(`not a PBKDF2 vector file: ${fileName}`);
  return `SHA-${m[1]}` as KeyFileHash;
}

const KEY_BYTES: Readonly<Record<AesCbcCipher, number>> = { 'AES-128-CBC': 16, 'AES-192-CBC': 24, 'AES-256-CBC': 32 };

/**
 * Accepted = ecp's PBES2 decryption yields the message AND encrypting the message under the
 * derived key and the vector's IV yields the ciphertext (both directions of the scheme).
 */
export async function pbes2Outcomes(fileName: string, file: WycheproofFile<PbeTestGroup>, backend: KeyFileCrypto): Promise<VectorOutcome[]> {
  const { prf, cipher } = pbes2Suite(fileName);
  const outcomes: VectorOutcome[] = [];
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      const password = fromHex(t.password);
      const salt = fromHex(t.salt);
      const iv = fromHex(t.iv);
      let accepted = false;
      try {
        const plain = await pbes2Decrypt({ prf, cipher, salt, iterations: t.iterationCount, iv }, password, fromHex(t.ct), backend);
        const key = await backend.pbkdf2(prf, password, salt, t.iterationCount, KEY_BYTES[cipher]);
        const again = await backend.aesCbcEncrypt(key, iv, fromHex(t.msg));
        accepted = toHex(plain) === t.msg && toHex(again) === t.ct;
      } catch {
        accepted = false;
      }
      outcomes.push({ tcId: t.tcId, accepted });
    }
  }
  return outcomes;
}

export async function pbkdf2Outcomes(fileName: string, file: WycheproofFile<PbkdfTestGroup>, backend: KeyFileCrypto): Promise<VectorOutcome[]> {
  const hash = pbkdf2Hash(fileName);
  const outcomes: VectorOutcome[] = [];
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      let accepted = false;
      try {
        const dk = await backend.pbkdf2(hash, fromHex(t.password), fromHex(t.salt), t.iterationCount, t.dkLen);
        accepted = toHex(dk) === t.dk;
      } catch {
        accepted = false;
      }
      outcomes.push({ tcId: t.tcId, accepted });
    }
  }
  return outcomes;
}

/** HMAC-SHA256; the expected tag may be truncated to the group's tagSize. */
export async function hmacSha256Outcomes(file: WycheproofFile<MacTestGroup>, backend: KeyFileCrypto): Promise<VectorOutcome[]> {
  const outcomes: VectorOutcome[] = [];
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      const tag = await backend.hmac('SHA-256', fromHex(t.key), fromHex(t.msg));
      outcomes.push({ tcId: t.tcId, accepted: bytesEqual(tag.subarray(0, group.tagSize / 8), fromHex(t.tag)) });
    }
  }
  return outcomes;
}

export interface AesCbcResult {
  outcomes: VectorOutcome[];
  /** tcIds of vectors whose decryption failed with another error than the one expected. */
  otherErrors: number[];
}

/**
 * Accepted = decryption yields the message and encryption of the message yields the
 * ciphertext. A rejected ciphertext of whole blocks must fail with BadPaddingError (so that
 * PBES2 readers can call it a wrong passphrase), one of partial blocks with
 * MalformedInputError; anything else is listed in `otherErrors`.
 */
export async function aesCbcOutcomes(file: WycheproofFile<IndCpaTestGroup>, backend: KeyFileCrypto): Promise<AesCbcResult> {
  const outcomes: VectorOutcome[] = [];
  const otherErrors: number[] = [];
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      const key = fromHex(t.key);
      const iv = fromHex(t.iv);
      let accepted = false;
      try {
        const plain = await backend.aesCbcDecrypt(key, iv, fromHex(t.ct));
        const ct = await backend.aesCbcEncrypt(key, iv, fromHex(t.msg));
        accepted = toHex(plain) === t.msg && toHex(ct) === t.ct;
      } catch (error) {
        const wholeBlocks = t.ct.length > 0 && t.ct.length % 32 === 0;
        const expected = wholeBlocks ? error instanceof BadPaddingError : error instanceof MalformedInputError;
        if (!expected) otherErrors.push(t.tcId);
      }
      outcomes.push({ tcId: t.tcId, accepted });
    }
  }
  return { outcomes, otherErrors };
}

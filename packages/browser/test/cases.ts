/**
 * Test cases of the SDK's crypto core (readPrivateKey, signChallenge, encryptPkcs8,
 * generateEncryptedKey, the WebCrypto backend under Wycheproof) as plain async functions:
 * JSON in, JSON out, no Node imports. Node's tests run them over Node's WebCrypto; bundled,
 * the same functions run in a real browser (page.evaluate). Assertions stay on the Node side.
 */
import { copyBytes, fromBase64, toBase64 } from '@ecp/core/portable';
import type { IndCpaTestGroup, MacTestGroup, PbeTestGroup, PbkdfTestGroup, VectorOutcome, WycheproofFile } from '@ecp/test-vectors';
import { aesCbcOutcomes, hmacSha256Outcomes, pbes2Outcomes, pbkdf2Outcomes } from '../../core/test/keys/backend-vectors.js';
import {
  EcpError,
  KeyFileError,
  encryptPkcs8,
  generateEncryptedKey,
  readPrivateKey,
  signChallenge,
  type KeyFilePhase,
} from '../src/index.js';
import { webCryptoKeyFileCrypto } from '../src/webcrypto-backend.js';

export interface KeyFileCase {
  /** PEM text, or the bytes as base64. */
  text?: string;
  base64?: string;
  /** How to hand the file to readPrivateKey. */
  as: 'string' | 'blob' | 'arraybuffer' | 'uint8array';
  passphrase: string;
  /** Signed with the key when it was read. */
  nonce: string;
}

export interface CaseError {
  code: string;
  message: string;
  advice?: string;
  isEcpError: boolean;
}

export type CaseResult<T> = { ok: true; value: T } | { ok: false; error: CaseError };

export interface ReadKeyResult {
  type: string;
  extractable: boolean;
  algorithm: { name: string; namedCurve?: string };
  usages: string[];
  signatureHex: string;
  phases: KeyFilePhase[];
  /** Whether exporting the key was refused, as it must be. */
  exportRefused: boolean;
}

// Vectors cross into the page as base64; core's byte helpers are browser-safe.
const bytesOf = (base64: string): Uint8Array<ArrayBuffer> => copyBytes(fromBase64(base64));
const base64Of = toBase64;

async function run<T>(body: () => Promise<T>): Promise<CaseResult<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    if (!(error instanceof Error)) return { ok: false, error: { code: '', message: String(error), isEcpError: false } };
    const facts: CaseError = { code: error instanceof EcpError ? error.code : '', message: error.message, isEcpError: error instanceof EcpError };
    if (error instanceof KeyFileError) facts.advice = error.advice;
    return { ok: false, error: facts };
  }
}

function fileOf(input: KeyFileCase): Blob | ArrayBuffer | Uint8Array | string {
  if (input.text !== undefined && input.as === 'string') return input.text;
  const bytes = input.text !== undefined ? new TextEncoder().encode(input.text) : bytesOf(input.base64 ?? '');
  if (input.as === 'blob') return new Blob([bytes]);
  if (input.as === 'arraybuffer') return bytes.buffer;
  return bytes;
}

async function describeKey(key: CryptoKey, nonce: string, phases: KeyFilePhase[]): Promise<ReadKeyResult> {
  const exportRefused = await crypto.subtle.exportKey('pkcs8', key).then(
    () => false,
    () => true,
  );
  return {
    type: key.type,
    extractable: key.extractable,
    algorithm: key.algorithm as { name: string; namedCurve?: string },
    usages: [...key.usages],
    signatureHex: await signChallenge(key, nonce),
    phases,
    exportRefused,
  };
}

export const keyCases = {
  /** readPrivateKey on one file, then signChallenge with the key. */
  readKey(input: KeyFileCase): Promise<CaseResult<ReadKeyResult>> {
    return run(async () => {
      const phases: KeyFilePhase[] = [];
      const key = await readPrivateKey(fileOf(input), input.passphrase, { onProgress: (p) => phases.push(p) });
      return describeKey(key, input.nonce, phases);
    });
  },

  /** generateEncryptedKey, then the file it wrote read back and used. */
  generateKey(input: { passphrase: string; iterations: number; nonce: string }): Promise<
    CaseResult<{ privateKeyPem: string; spkiBase64: string; generated: ReadKeyResult; reread: ReadKeyResult }>
  > {
    return run(async () => {
      const phases: KeyFilePhase[] = [];
      const made = await generateEncryptedKey(input.passphrase, { iterations: input.iterations, onProgress: (p) => phases.push(p) });
      const reread = await readPrivateKey(made.privateKeyPem, input.passphrase);
      return {
        privateKeyPem: made.privateKeyPem,
        spkiBase64: base64Of(made.spki),
        generated: await describeKey(made.privateKey, input.nonce, phases),
        reread: await describeKey(reread, input.nonce, []),
      };
    });
  },

  /** encryptPkcs8 of an unencrypted PKCS#8 (base64). */
  encryptPkcs8(input: { pkcs8Base64: string; passphrase: string; iterations?: number }): Promise<CaseResult<string>> {
    return run(() => encryptPkcs8(bytesOf(input.pkcs8Base64), input.passphrase, input.iterations === undefined ? {} : { iterations: input.iterations }));
  },

  /** Wycheproof through the WebCrypto backend (with its lazy @noble fallbacks). */
  async wycheproof(
    input:
      | { kind: 'pbes2' | 'pbkdf2'; fileName: string; file: WycheproofFile<PbeTestGroup> | WycheproofFile<PbkdfTestGroup> }
      | { kind: 'hmac'; fileName: string; file: WycheproofFile<MacTestGroup> }
      | { kind: 'aes-cbc'; fileName: string; file: WycheproofFile<IndCpaTestGroup> },
  ): Promise<{ outcomes: VectorOutcome[]; otherErrors: number[] }> {
    const backend = webCryptoKeyFileCrypto;
    switch (input.kind) {
      case 'pbes2':
        return { outcomes: await pbes2Outcomes(input.fileName, input.file as WycheproofFile<PbeTestGroup>, backend), otherErrors: [] };
      case 'pbkdf2':
        return { outcomes: await pbkdf2Outcomes(input.fileName, input.file as WycheproofFile<PbkdfTestGroup>, backend), otherErrors: [] };
      case 'hmac':
        return { outcomes: await hmacSha256Outcomes(input.file, backend), otherErrors: [] };
      case 'aes-cbc':
        return aesCbcOutcomes(input.file, backend);
    }
  },

  /** Milliseconds of one PBKDF2-HMAC-SHA256 derivation of `iterations` through the backend. */
  async pbkdf2Milliseconds(input: { iterations: number }): Promise<number> {
    const started = performance.now();
    await webCryptoKeyFileCrypto.pbkdf2('SHA-256', new TextEncoder().encode('passphrase'), new Uint8Array(16), input.iterations, 32);
    return performance.now() - started;
  },
};

export type KeyCases = typeof keyCases;

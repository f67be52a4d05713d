// Node-side loader of the Wycheproof files. They are NOT in this repository: they live in
// the shared vectors directory beside the checkout (<repo root>/../shared/vectors) or in
// $ECP_VECTORS_DIR. A missing directory or file is an error, never a skipped test.
//
// Everything returned is plain JSON data (hex strings, numbers, arrays), so a Node test can
// hand it to a browser page with playwright's page.evaluate.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHex } from './hex.js';
import {
  WYCHEPROOF_FILES,
  type AnyWycheproofFile,
  type WycheproofFileName,
  type WycheproofFileOf,
  type WycheproofGroupType,
} from './wycheproof-types.js';

export const VECTORS_DIR_ENV = 'ECP_VECTORS_DIR';

/** Thrown when the vectors cannot be found or do not have the expected shape. */
export class TestVectorsError extends Error {
  override name = 'TestVectorsError';
}

/** The monorepo root: the nearest ancestor of this file holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new TestVectorsError(`no pnpm-workspace.yaml above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

/** $ECP_VECTORS_DIR if set, else <repo root>/../shared/vectors. Not checked for existence. */
export function sharedVectorsDir(): string {
  const fromEnv = process.env[VECTORS_DIR_ENV];
  return fromEnv ? resolve(fromEnv) : resolve(repoRoot(), '..', 'shared', 'vectors');
}

function missing(what: string, path: string): TestVectorsError {
  const source = process.env[VECTORS_DIR_ENV]
    ? `${VECTORS_DIR_ENV}=${process.env[VECTORS_DIR_ENV]}`
    : `${VECTORS_DIR_ENV} is unset, so the default <repo root>/../shared/vectors was used`;
  return new TestVectorsError(
    `Wycheproof ${what} not found: ${path} (${source}). Point ${VECTORS_DIR_ENV} at the directory ` +
      `that holds wycheproof/. Missing vectors fail the tests; they are never skipped.`,
  );
}

/** The wycheproof/ directory; throws if it does not exist. */
export function wycheproofDir(): string {
  const dir = join(sharedVectorsDir(), 'wycheproof');
  if (!existsSync(dir)) throw missing('directory', dir);
  return dir;
}

export function wycheproofPath(name: WycheproofFileName): string {
  return join(wycheproofDir(), name);
}

/**
 * Reads, checks and returns one Wycheproof file. Checked: the schema and group type the
 * project expects for that file name, test count == numberOfTests, unique tcIds, results in
 * valid|invalid|acceptable, flags that the file's notes define, and the type (hex, integer,
 * string, object) of every field the types in wycheproof-types.ts declare.
 */
export function loadWycheproof<N extends WycheproofFileName>(name: N): WycheproofFileOf<N> {
  const expected = WYCHEPROOF_FILES[name];
  if (!expected) throw new TestVectorsError(`unknown Wycheproof file ${String(name)}`);
  const path = join(wycheproofDir(), name);
  if (!existsSync(path)) throw missing('file', path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TestVectorsError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  checkFile(path, data, expected.type, expected.schema);
  return data as WycheproofFileOf<N>;
}

// ---------------------------------------------------------------- shape checks

type FieldKind = 'hex' | 'int' | 'string' | 'object' | 'strings' | 'optional object';

const SIGNATURE_TEST = { msg: 'hex', sig: 'hex' } as const;
const EC_GROUP = {
  'publicKey.uncompressed': 'hex',
  'publicKey.wx': 'hex',
  'publicKey.wy': 'hex',
  publicKeyDer: 'hex',
  publicKeyPem: 'string',
  sha: 'string',
} as const;
const RSA_GROUP = {
  keySize: 'int',
  sha: 'string',
  'publicKey.modulus': 'hex',
  'publicKey.publicExponent': 'hex',
  publicKeyAsn: 'hex',
  publicKeyDer: 'hex',
  publicKeyPem: 'string',
} as const;

const SPECS: Record<WycheproofGroupType, { group: Record<string, FieldKind>; test: Record<string, FieldKind> }> = {
  EcdsaVerify: { group: EC_GROUP, test: SIGNATURE_TEST },
  EcdsaP1363Verify: { group: { ...EC_GROUP, publicKeyJwk: 'optional object' }, test: SIGNATURE_TEST },
  RsassaPkcs1Verify: { group: { ...RSA_GROUP, keyJwk: 'object' }, test: SIGNATURE_TEST },
  RsassaPssVerify: {
    group: { ...RSA_GROUP, mgf: 'string', mgfSha: 'string', sLen: 'int', publicKeyJwk: 'object' },
    test: SIGNATURE_TEST,
  },
  EddsaVerify: {
    group: { 'publicKey.pk': 'hex', publicKeyDer: 'hex', publicKeyPem: 'string', publicKeyJwk: 'object' },
    test: SIGNATURE_TEST,
  },
  PbeTest: {
    group: {},
    test: { password: 'hex', salt: 'hex', iterationCount: 'int', iv: 'hex', msg: 'hex', ct: 'hex' },
  },
  PbkdfTest: {
    group: {},
    test: { password: 'hex', salt: 'hex', iterationCount: 'int', dkLen: 'int', dk: 'hex' },
  },
  MacTest: { group: { keySize: 'int', tagSize: 'int' }, test: { key: 'hex', msg: 'hex', tag: 'hex' } },
  IndCpaTest: { group: { keySize: 'int', ivSize: 'int' }, test: { key: 'hex', iv: 'hex', msg: 'hex', ct: 'hex' } },
};

const TEST_BASE: Record<string, FieldKind> = { tcId: 'int', comment: 'string', flags: 'strings' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldAt(obj: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) cur = isObject(cur) ? cur[part] : undefined;
  return cur;
}

function hasKind(v: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'hex':
      return isHex(v);
    case 'int':
      return Number.isSafeInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'object':
      return isObject(v);
    case 'optional object':
      return v === undefined || isObject(v);
    case 'strings':
      return Array.isArray(v) && v.every((s) => typeof s === 'string');
  }
}

function checkFields(path: string, where: string, obj: Record<string, unknown>, spec: Record<string, FieldKind>): void {
  for (const [field, kind] of Object.entries(spec)) {
    if (!hasKind(fieldAt(obj, field), kind)) {
      throw new TestVectorsError(`${path}: ${where}.${field} is not ${kind}`);
    }
  }
}

function checkFile(path: string, data: unknown, type: WycheproofGroupType, schema: string): asserts data is AnyWycheproofFile {
  if (!isObject(data)) throw new TestVectorsError(`${path}: not a JSON object`);
  if (data.schema !== schema) {
    throw new TestVectorsError(`${path}: schema ${String(data.schema)}, expected ${schema}`);
  }
  checkFields(path, 'file', data, { algorithm: 'string', numberOfTests: 'int', header: 'strings', notes: 'object' });
  const notes = data.notes as Record<string, unknown>;
  if (!Array.isArray(data.testGroups)) throw new TestVectorsError(`${path}: testGroups is not an array`);
  const spec = SPECS[type];
  const seen = new Set<number>();
  for (const [gi, group] of data.testGroups.entries()) {
    const where = `testGroups[${gi}]`;
    if (!isObject(group) || group.type !== type) {
      throw new TestVectorsError(`${path}: ${where}.type is not ${type}`);
    }
    checkFields(path, where, group, { ...spec.group, source: 'object' });
    if (!Array.isArray(group.tests)) throw new TestVectorsError(`${path}: ${where}.tests is not an array`);
    for (const test of group.tests) {
      if (!isObject(test)) throw new TestVectorsError(`${path}: ${where} holds a test that is not an object`);
      const at = `${where}.tcId=${String(test.tcId)}`;
      checkFields(path, at, test, { ...TEST_BASE, ...spec.test });
      const tcId = test.tcId as number;
      if (seen.has(tcId)) throw new TestVectorsError(`${path}: tcId ${tcId} appears twice`);
      seen.add(tcId);
      if (test.result !== 'valid' && test.result !== 'invalid' && test.result !== 'acceptable') {
        throw new TestVectorsError(`${path}: ${at}.result is ${String(test.result)}`);
      }
      for (const flag of test.flags as string[]) {
        if (!(flag in notes)) throw new TestVectorsError(`${path}: ${at} has flag ${flag}, which notes does not define`);
      }
    }
  }
  if (seen.size !== data.numberOfTests) {
    throw new TestVectorsError(`${path}: ${seen.size} tests, but numberOfTests says ${String(data.numberOfTests)}`);
  }
}

// ---------------------------------------------------------------- one loader per family

export type EcCurve = 'P-256' | 'P-384';

/** ECDSA with DER signatures (P-256/SHA-256 or P-384/SHA-384). */
export function loadEcdsaDer(curve: EcCurve): WycheproofFileOf<'ecdsa_secp256r1_sha256_test.json'> {
  return loadWycheproof(curve === 'P-256' ? 'ecdsa_secp256r1_sha256_test.json' : 'ecdsa_secp384r1_sha384_test.json');
}

/** ECDSA with r || s signatures (P-256/SHA-256 or P-384/SHA-384). */
export function loadEcdsaP1363(curve: EcCurve): WycheproofFileOf<'ecdsa_secp256r1_sha256_p1363_test.json'> {
  return loadWycheproof(
    curve === 'P-256' ? 'ecdsa_secp256r1_sha256_p1363_test.json' : 'ecdsa_secp384r1_sha384_p1363_test.json',
  );
}

/** RSASSA-PKCS1-v1_5 with SHA-256. */
export function loadRsaPkcs1(bits: 2048 | 4096): WycheproofFileOf<'rsa_signature_2048_sha256_test.json'> {
  return loadWycheproof(bits === 2048 ? 'rsa_signature_2048_sha256_test.json' : 'rsa_signature_4096_sha256_test.json');
}

/** RSASSA-PSS 2048, SHA-256, MGF1-SHA-256, 32-byte salt. */
export function loadRsaPss(): WycheproofFileOf<'rsa_pss_2048_sha256_mgf1_32_test.json'> {
  return loadWycheproof('rsa_pss_2048_sha256_mgf1_32_test.json');
}

export function loadEd25519(): WycheproofFileOf<'ed25519_test.json'> {
  return loadWycheproof('ed25519_test.json');
}

export function loadHmacSha256(): WycheproofFileOf<'hmac_sha256_test.json'> {
  return loadWycheproof('hmac_sha256_test.json');
}

export function loadAesCbcPkcs5(): WycheproofFileOf<'aes_cbc_pkcs5_test.json'> {
  return loadWycheproof('aes_cbc_pkcs5_test.json');
}

export type PbkdfHash = 'SHA-1' | 'SHA-256';

export function loadPbkdf2(hash: PbkdfHash): WycheproofFileOf<'pbkdf2_hmacsha1_test.json'> {
  return loadWycheproof(hash === 'SHA-1' ? 'pbkdf2_hmacsha1_test.json' : 'pbkdf2_hmacsha256_test.json');
}

/** The PBES2 files present: PBKDF2 PRF hash and AES key size of each. */
export const PBES2_FILES = [
  { name: 'pbes2_hmacsha1_aes_128_test.json', prfHash: 'SHA-1', aesKeyBits: 128 },
  { name: 'pbes2_hmacsha1_aes_256_test.json', prfHash: 'SHA-1', aesKeyBits: 256 },
  { name: 'pbes2_hmacsha256_aes_128_test.json', prfHash: 'SHA-256', aesKeyBits: 128 },
  { name: 'pbes2_hmacsha256_aes_192_test.json', prfHash: 'SHA-256', aesKeyBits: 192 },
  { name: 'pbes2_hmacsha256_aes_256_test.json', prfHash: 'SHA-256', aesKeyBits: 256 },
] as const satisfies readonly { name: WycheproofFileName; prfHash: PbkdfHash; aesKeyBits: 128 | 192 | 256 }[];

export interface Pbes2Family {
  name: (typeof PBES2_FILES)[number]['name'];
  prfHash: PbkdfHash;
  aesKeyBits: 128 | 192 | 256;
  file: WycheproofFileOf<'pbes2_hmacsha256_aes_256_test.json'>;
}

/** Every PBES2 file with its parameters (the files themselves do not state them). */
export function loadPbes2All(): Pbes2Family[] {
  return PBES2_FILES.map((f) => ({ ...f, file: loadWycheproof(f.name) }));
}

// Types of the Wycheproof files in ../shared/vectors/wycheproof (C2SP/wycheproof
// testvectors_v1 at dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166), written from the files
// themselves: every field present there is typed here, nothing more. Byte strings are hex
// (as in the files; see hexToBytes). No Node imports: these types are shared with code that
// runs in the browser.

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofNote {
  bugType: string;
  description: string;
  effect?: string;
  cves?: string[];
  links?: string[];
}

export interface WycheproofSource {
  name: string;
  version: string;
}

/** One Wycheproof JSON file. `numberOfTests` is checked against the tests by the loader. */
export interface WycheproofFile<G extends WycheproofGroup> {
  algorithm: string;
  schema: string;
  numberOfTests: number;
  header: string[];
  /** Flag name -> what the flag means. */
  notes: Record<string, WycheproofNote>;
  testGroups: G[];
}

export interface WycheproofTestBase {
  tcId: number;
  comment: string;
  /** Keys of the file's `notes`. */
  flags: string[];
  result: WycheproofResult;
}

interface GroupBase<T extends WycheproofTestBase> {
  source: WycheproofSource;
  tests: T[];
}

// ---------------------------------------------------------------- signatures

/** A signature test: `msg` and `sig` are hex. */
export interface SignatureTest extends WycheproofTestBase {
  msg: string;
  sig: string;
}

export interface EcPublicKey {
  type: 'EcPublicKey';
  curve: 'secp256r1' | 'secp384r1';
  keySize: number;
  /** 04 || x || y, hex. */
  uncompressed: string;
  /** Affine coordinates as hex integers (may carry a leading 00 byte). */
  wx: string;
  wy: string;
}

export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256' | 'P-384';
  x: string;
  y: string;
  kid: string;
}

interface EcdsaGroupBase extends GroupBase<SignatureTest> {
  publicKey: EcPublicKey;
  /** SubjectPublicKeyInfo, DER hex. */
  publicKeyDer: string;
  /** SubjectPublicKeyInfo, PEM text. */
  publicKeyPem: string;
  sha: 'SHA-256' | 'SHA-384';
}

/** `sig` is a DER ECDSA-Sig-Value. */
export interface EcdsaVerifyGroup extends EcdsaGroupBase {
  type: 'EcdsaVerify';
}

/** `sig` is r || s (IEEE P1363, what WebCrypto produces). */
export interface EcdsaP1363VerifyGroup extends EcdsaGroupBase {
  type: 'EcdsaP1363Verify';
  /** Absent from 9 groups of each file (keys whose test is about an edge-case point). */
  publicKeyJwk?: EcPublicJwk;
}

export interface RsaPublicKey {
  /** Hex integer (with a leading 00 byte). */
  modulus: string;
  publicExponent: string;
}

export interface RsaPublicJwk {
  kty: 'RSA';
  alg: string;
  n: string;
  e: string;
  kid: string;
}

interface RsaGroupBase extends GroupBase<SignatureTest> {
  keySize: number;
  sha: 'SHA-256';
  publicKey: RsaPublicKey;
  /** RSAPublicKey (PKCS#1), DER hex. */
  publicKeyAsn: string;
  /** SubjectPublicKeyInfo, DER hex. */
  publicKeyDer: string;
  publicKeyPem: string;
}

export interface RsassaPkcs1VerifyGroup extends RsaGroupBase {
  type: 'RsassaPkcs1Verify';
  keyJwk: RsaPublicJwk;
}

export interface RsassaPssVerifyGroup extends RsaGroupBase {
  type: 'RsassaPssVerify';
  mgf: 'MGF1';
  mgfSha: 'SHA-256';
  /** Salt length in bytes. */
  sLen: number;
  publicKeyJwk: RsaPublicJwk;
}

export interface EddsaPublicKey {
  type: 'EDDSAPublicKey';
  curve: 'edwards25519';
  keySize: number;
  /** Raw 32-byte public key, hex. */
  pk: string;
}

export interface OkpPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
}

export interface EddsaVerifyGroup extends GroupBase<SignatureTest> {
  type: 'EddsaVerify';
  publicKey: EddsaPublicKey;
  publicKeyDer: string;
  publicKeyPem: string;
  publicKeyJwk: OkpPublicJwk;
}

// ---------------------------------------------------------------- building blocks of PBES2

/**
 * PBES2 = PBKDF2 (PRF and AES key size from the file name, dkLen = AES key size) then
 * AES-CBC with PKCS#5 padding. `password` is hex bytes (fed to PBKDF2 as is).
 */
export interface PbeTest extends WycheproofTestBase {
  password: string;
  salt: string;
  iterationCount: number;
  iv: string;
  msg: string;
  ct: string;
}

export interface PbeTestGroup extends GroupBase<PbeTest> {
  type: 'PbeTest';
}

export interface PbkdfTest extends WycheproofTestBase {
  password: string;
  salt: string;
  iterationCount: number;
  dkLen: number;
  dk: string;
}

export interface PbkdfTestGroup extends GroupBase<PbkdfTest> {
  type: 'PbkdfTest';
}

export interface MacTest extends WycheproofTestBase {
  key: string;
  msg: string;
  /** May be a truncated tag: its length is the group's tagSize bits. */
  tag: string;
}

export interface MacTestGroup extends GroupBase<MacTest> {
  type: 'MacTest';
  keySize: number;
  tagSize: number;
}

export interface IndCpaTest extends WycheproofTestBase {
  key: string;
  iv: string;
  msg: string;
  ct: string;
}

export interface IndCpaTestGroup extends GroupBase<IndCpaTest> {
  type: 'IndCpaTest';
  keySize: number;
  ivSize: number;
}

export type WycheproofGroup =
  | EcdsaVerifyGroup
  | EcdsaP1363VerifyGroup
  | RsassaPkcs1VerifyGroup
  | RsassaPssVerifyGroup
  | EddsaVerifyGroup
  | PbeTestGroup
  | PbkdfTestGroup
  | MacTestGroup
  | IndCpaTestGroup;

export type WycheproofGroupType = WycheproofGroup['type'];

export type GroupOfType<T extends WycheproofGroupType> = Extract<WycheproofGroup, { type: T }>;

export type TestOf<G extends WycheproofGroup> = G['tests'][number];

/** A group without its tests: what each flattened case carries along. */
export type GroupHeader<G extends WycheproofGroup> = Omit<G, 'tests'>;

// ---------------------------------------------------------------- the files

/** Every file the project uses: name -> group type and schema (checked on load). */
export const WYCHEPROOF_FILES = {
  'ecdsa_secp256r1_sha256_test.json': { type: 'EcdsaVerify', schema: 'ecdsa_verify_schema_v1.json' },
  'ecdsa_secp256r1_sha256_p1363_test.json': { type: 'EcdsaP1363Verify', schema: 'ecdsa_p1363_verify_schema_v1.json' },
  'ecdsa_secp384r1_sha384_test.json': { type: 'EcdsaVerify', schema: 'ecdsa_verify_schema_v1.json' },
  'ecdsa_secp384r1_sha384_p1363_test.json': { type: 'EcdsaP1363Verify', schema: 'ecdsa_p1363_verify_schema_v1.json' },
  'rsa_signature_2048_sha256_test.json': { type: 'RsassaPkcs1Verify', schema: 'rsassa_pkcs1_verify_schema_v1.json' },
  'rsa_signature_4096_sha256_test.json': { type: 'RsassaPkcs1Verify', schema: 'rsassa_pkcs1_verify_schema_v1.json' },
  'rsa_pss_2048_sha256_mgf1_32_test.json': { type: 'RsassaPssVerify', schema: 'rsassa_pss_verify_schema_v1.json' },
  'ed25519_test.json': { type: 'EddsaVerify', schema: 'eddsa_verify_schema_v1.json' },
  'pbes2_hmacsha1_aes_128_test.json': { type: 'PbeTest', schema: 'pbe_test_schema.json' },
  'pbes2_hmacsha1_aes_256_test.json': { type: 'PbeTest', schema: 'pbe_test_schema.json' },
  'pbes2_hmacsha256_aes_128_test.json': { type: 'PbeTest', schema: 'pbe_test_schema.json' },
  'pbes2_hmacsha256_aes_192_test.json': { type: 'PbeTest', schema: 'pbe_test_schema.json' },
  'pbes2_hmacsha256_aes_256_test.json': { type: 'PbeTest', schema: 'pbe_test_schema.json' },
  'pbkdf2_hmacsha1_test.json': { type: 'PbkdfTest', schema: 'pbkdf_test_schema.json' },
  'pbkdf2_hmacsha256_test.json': { type: 'PbkdfTest', schema: 'pbkdf_test_schema.json' },
  'hmac_sha256_test.json': { type: 'MacTest', schema: 'mac_test_schema_v1.json' },
  'aes_cbc_pkcs5_test.json': { type: 'IndCpaTest', schema: 'ind_cpa_test_schema_v1.json' },
} as const satisfies Record<string, { type: WycheproofGroupType; schema: string }>;

export type WycheproofFileName = keyof typeof WYCHEPROOF_FILES;

export type WycheproofFileOf<N extends WycheproofFileName> = WycheproofFile<
  GroupOfType<(typeof WYCHEPROOF_FILES)[N]['type']>
>;

export type AnyWycheproofFile = WycheproofFile<WycheproofGroup>;

/** One test with the group it belongs to (the group's key, hash, sizes...). */
export interface WycheproofCase<G extends WycheproofGroup> {
  group: GroupHeader<G>;
  test: TestOf<G>;
}

/** Flattens a file into its cases, in file order. Plain data: safe to JSON-serialize. */
export function wycheproofCases<G extends WycheproofGroup>(file: WycheproofFile<G>): WycheproofCase<G>[] {
  const cases: WycheproofCase<G>[] = [];
  for (const g of file.testGroups) {
    const { tests, ...group } = g;
    for (const test of tests as TestOf<G>[]) cases.push({ group: group as GroupHeader<G>, test });
  }
  return cases;
}

// Types of openssl/manifest.json, the description of the project's own interop vectors
// (written by openssl/make-vectors.sh). No Node imports: shared with browser-side code.

export type OpensslVectorKind =
  | 'sec1'
  | 'sec1-encrypted-legacy'
  | 'pkcs8-plain'
  | 'pkcs8-encrypted'
  | 'pkcs12'
  | 'certificate'
  | 'csr'
  | 'signature'
  | 'garbage';

/** Which reader the entry is for: the same file can appear twice (e.g. a certificate given as a key). */
export type ReadAs = 'private-key' | 'certificate' | 'csr' | 'signature';

/** pem and text files are UTF-8 text; der files are binary (DER, PKCS#12, raw bytes). */
export type FileEncoding = 'pem' | 'der' | 'text';

/**
 * The error a reader must report: the subset of EcpErrorCode (packages/core/src/errors.ts)
 * that key-file readers use, so tests compare `error.code` with it directly.
 */
export type ExpectedErrorCode =
  /** Right file, other passphrase (PBES2 padding check / PKCS#12 MAC check fails). */
  | 'ECP_WRONG_PASSPHRASE'
  /** Not a P-256 key: an EC key on another curve (P-384), or RSA, or Ed25519. */
  | 'ECP_WRONG_CURVE'
  /** A key format the readers do not take: old OpenSSL PEM encryption (Proc-Type/DEK-Info). */
  | 'ECP_UNSUPPORTED_FORMAT'
  /** PKCS#12 with 3DES/RC2 (PKCS#12 PBE) encryption. */
  | 'ECP_LEGACY_PKCS12'
  /** Not a key file at all (text, random bytes, a certificate). */
  | 'ECP_NOT_A_KEY'
  /** Looks like a key file but is damaged (truncated, bad base64). */
  | 'ECP_MALFORMED';

export type Expectation = { result: 'ok' } | { result: 'error'; errorCode: ExpectedErrorCode };

/** The key inside a file, as `openssl pkey -pubout` reports it (with the right passphrase). */
export interface KeyFacts {
  type: 'ec' | 'rsa' | 'ed25519';
  curve?: 'P-256' | 'P-384';
  /** EC: uncompressed point 04||x||y; Ed25519: the raw 32 bytes; absent for RSA. Hex. */
  publicKeyHex?: string;
  /** SubjectPublicKeyInfo, DER hex. */
  spkiDerHex: string;
}

/** What `openssl x509` reports about a certificate. */
export interface CertificateFacts {
  subjectCN: string;
  issuerCN: string;
  /** As `openssl x509 -serial` prints it: upper-case hex, even length. */
  serialHex: string;
  /** ISO 8601, UTC, seconds precision. */
  notBefore: string;
  notAfter: string;
  /** AA:BB:... upper case, as `openssl x509 -fingerprint` prints it. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  spkiDerHex: string;
}

export type Pbes2Cipher = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc';
export type Pbes2Prf = 'hmacWithSHA1' | 'hmacWithSHA224' | 'hmacWithSHA256' | 'hmacWithSHA384' | 'hmacWithSHA512';

/** How the file is protected, as it was asked of the tool that wrote it. */
export type EncryptionFacts =
  | { scheme: 'PBES2'; cipher: Pbes2Cipher; prf: Pbes2Prf; iterations: number }
  | { scheme: 'PKCS12-PBES2'; cipher: Pbes2Cipher; prf: Pbes2Prf; iterations: number; mac: 'SHA-256' | 'none' }
  | { scheme: 'PKCS12-legacy'; keyCipher: string; certCipher: string; iterations: number; mac: 'SHA-1' }
  | { scheme: 'none'; mac: 'SHA-256' };

export interface SignatureFacts {
  /** The message as text; its UTF-8 bytes (messageHex) are what was signed. */
  message: string;
  messageHex: string;
  hash: 'SHA-256';
  /** DER ECDSA-Sig-Value, hex (the same bytes as the entry's file). */
  signatureHex: string;
  /** The certificate entry whose key the signature is checked against. */
  certificateId: string;
  /** That key's uncompressed point, hex. */
  publicKeyHex: string;
  /** Whether the signature verifies for this message and key. */
  valid: boolean;
  /** s > n/2: verifiers that insist on low S would wrongly refuse it. */
  highS: boolean;
}

export interface ManifestEntry {
  id: string;
  /** Relative to the openssl/ directory, e.g. files/p256-sec1.pem. */
  path: string;
  kind: OpensslVectorKind;
  encoding: FileEncoding;
  readAs: ReadAs;
  description: string;
  /** The command (or API call) that made the file, for humans. */
  producedBy: string;
  /** The passphrase to give the reader (test passphrases only; absent: the file takes none). */
  passphrase?: string;
  encryption?: EncryptionFacts;
  /** What the reader named by readAs must do with (file, passphrase). */
  expect: Expectation;
  /** The key in the file (key files, PKCS#12, certificates, CSRs). */
  key?: KeyFacts;
  /** Certificate files: one; PKCS#12: all, in file order. */
  certificates?: CertificateFacts[];
  /** PKCS#12: index in `certificates` of the one whose key is in the file. */
  keyCertificateIndex?: number;
  csr?: { subjectCN: string };
  signature?: SignatureFacts;
}

export interface OpensslManifest {
  format: 1;
  generator: string;
  tools: { openssl: string; pythonCryptography: string | null };
  passphrases: { default: string; wrong: string; unicode: string };
  entries: ManifestEntry[];
}

/** An entry with its file read (Node side). */
export interface OpensslVector extends ManifestEntry {
  absolutePath: string;
  bytes: Uint8Array;
  /** The file as UTF-8 text, for pem and text files. */
  text?: string;
}

/** An entry with its file as base64: JSON-serializable, for page.evaluate. */
export interface PortableOpensslVector extends ManifestEntry {
  base64: string;
  text?: string;
}

/** The bytes of a portable vector (works in browsers and Node: uses atob). */
export function portableVectorBytes(vector: PortableOpensslVector): Uint8Array {
  const binary = atob(vector.base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

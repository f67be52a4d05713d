/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2) and the signature algorithms ecp reads and writes.
 * Browser-safe: naming and encoding only; the Node signers and verifiers build on
 * {@link describeSignatureAlgorithm}.
 */
import { bytesEqual } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import { oidName } from '../der/oids.js';
import * as TAG from '../der/tags.js';
import {
  contextConstructed,
  decodeDer,
  readOid,
  readSmallInteger,
  sequence,
  type DerElement,
} from '../der/reader.js';
import * as der from '../der/writer.js';

export interface AlgorithmIdentifier {
  /** Dotted OID. */
  readonly oid: string;
  /** ecp's name for the OID (e.g. `ecdsaWithSha256`), or the dotted OID when it has none. */
  readonly name: string;
  /** The DER of the parameters element, when present (a NULL counts as present). */
  readonly parameters?: Uint8Array;
  /** The whole AlgorithmIdentifier encoding, for byte comparisons. */
  readonly der: Uint8Array;
}

export function parseAlgorithmIdentifier(element: DerElement, what = 'AlgorithmIdentifier'): AlgorithmIdentifier {
  const fields = sequence(element, what);
  const oid = readOid(fields.next(TAG.OID, 'algorithm'), what);
  const params = fields.done ? undefined : fields.next(undefined, 'parameters');
  fields.end();
  return params
    ? { oid, name: oidName(oid), parameters: params.bytes, der: element.bytes }
    : { oid, name: oidName(oid), der: element.bytes };
}

export function encodeAlgorithmIdentifier(oid: string, parameters?: Uint8Array): Uint8Array {
  return parameters ? der.sequence(der.oid(oid), parameters) : der.sequence(der.oid(oid));
}

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/**
 * What a signature algorithm means for a verifier: the key type it needs and the hash (with
 * the RSASSA-PSS parameters for PSS). `undefined` for algorithms ecp does not verify.
 */
export type SignatureScheme =
  | { readonly keyType: 'EC'; readonly hash: HashName }
  | { readonly keyType: 'RSA'; readonly hash: HashName }
  | { readonly keyType: 'RSA-PSS'; readonly hash: HashName; readonly mgf1Hash: HashName; readonly saltLength: number }
  | { readonly keyType: 'Ed25519' | 'Ed448' };

// Maps built in pure expressions: a bundle that only encodes an identifier drops them (an
// object literal with computed keys counts as a side effect to bundlers and stays).
const ECDSA_HASHES = /* @__PURE__ */ new Map<string, HashName>([
  [OID.ecdsaWithSha1, 'sha1'],
  [OID.ecdsaWithSha224, 'sha224'],
  [OID.ecdsaWithSha256, 'sha256'],
  [OID.ecdsaWithSha384, 'sha384'],
  [OID.ecdsaWithSha512, 'sha512'],
]);

const RSA_HASHES = /* @__PURE__ */ new Map<string, HashName>([
  [OID.sha1WithRsa, 'sha1'],
  [OID.sha224WithRsa, 'sha224'],
  [OID.sha256WithRsa, 'sha256'],
  [OID.sha384WithRsa, 'sha384'],
  [OID.sha512WithRsa, 'sha512'],
]);

const DIGEST_OIDS: Readonly<Record<HashName, string>> = {
  sha1: OID.sha1,
  sha224: OID.sha224,
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
};

const DIGESTS = /* @__PURE__ */ new Map<string, HashName>(
  /* @__PURE__ */ Object.entries(DIGEST_OIDS).map(([hash, oid]) => [oid, hash as HashName]),
);

const NULL_DER = /* @__PURE__ */ der.nullValue();

/** A digest AlgorithmIdentifier inside PSS parameters: NULL or absent parameters are both seen. */
function readDigestAlgorithm(element: DerElement, what: string): HashName {
  const alg = parseAlgorithmIdentifier(element, what);
  const hash = DIGESTS.get(alg.oid);
  if (!hash || (alg.parameters && !bytesEqual(alg.parameters, NULL_DER))) {
    throw new MalformedInputError(`${what}: unsupported digest ${alg.name}`);
  }
  return hash;
}

/** RSASSA-PSS-params (RFC 4055 §3.1); absent fields take the SHA-1 defaults of the ASN.1. */
function readPssParameters(params: Uint8Array): { hash: HashName; mgf1Hash: HashName; saltLength: number } {
  const what = 'RSASSA-PSS parameters';
  const fields = sequence(decodeDer(params, what), what);
  let hash: HashName = 'sha1';
  let mgf1Hash: HashName = 'sha1';
  let saltLength = 20;
  const hashField = fields.optional(contextConstructed(0));
  if (hashField) hash = readDigestAlgorithm(decodeDer(hashField.value, what), `${what} hash`);
  const mgfField = fields.optional(contextConstructed(1));
  if (mgfField) {
    const mgf = parseAlgorithmIdentifier(decodeDer(mgfField.value, what), `${what} mask generation`);
    if (mgf.oid !== OID.mgf1 || !mgf.parameters) throw new MalformedInputError(`${what}: unsupported mask generation function`);
    mgf1Hash = readDigestAlgorithm(decodeDer(mgf.parameters, what), `${what} MGF1 hash`);
  }
  const saltField = fields.optional(contextConstructed(2));
  if (saltField) saltLength = readSmallInteger(decodeDer(saltField.value, what), `${what} salt length`, 1 << 16);
  const trailerField = fields.optional(contextConstructed(3));
  if (trailerField && readSmallInteger(decodeDer(trailerField.value, what), `${what} trailer field`) !== 1) {
    throw new MalformedInputError(`${what}: trailer field must be 1`);
  }
  fields.end();
  return { hash, mgf1Hash, saltLength };
}

/**
 * The scheme behind a signature AlgorithmIdentifier, checking its parameters as RFC 5758
 * (ECDSA: absent), RFC 4055 (PKCS#1 v1.5: NULL, absence tolerated as OpenSSL does), RFC 4055
 * (PSS: present) and RFC 8410 (EdDSA: absent) require. `undefined` when ecp does not know it;
 * throws {@link MalformedInputError} when it knows the OID but the parameters are wrong.
 */
export function describeSignatureAlgorithm(alg: AlgorithmIdentifier): SignatureScheme | undefined {
  const ecdsaHash = ECDSA_HASHES.get(alg.oid);
  if (ecdsaHash) {
    if (alg.parameters) throw new MalformedInputError(`${alg.name}: parameters must be absent`);
    return { keyType: 'EC', hash: ecdsaHash };
  }
  const rsaHash = RSA_HASHES.get(alg.oid);
  if (rsaHash) {
    if (alg.parameters && !bytesEqual(alg.parameters, NULL_DER)) {
      throw new MalformedInputError(`${alg.name}: parameters must be NULL`);
    }
    return { keyType: 'RSA', hash: rsaHash };
  }
  if (alg.oid === OID.rsassaPss) {
    if (!alg.parameters) throw new MalformedInputError('RSASSA-PSS signature without parameters');
    return { keyType: 'RSA-PSS', ...readPssParameters(alg.parameters) };
  }
  if (alg.oid === OID.ed25519 || alg.oid === OID.ed448) {
    if (alg.parameters) throw new MalformedInputError(`${alg.name}: parameters must be absent`);
    return { keyType: alg.oid === OID.ed25519 ? 'Ed25519' : 'Ed448' };
  }
  return undefined;
}

/** The signature algorithms ecp writes into certificates, CSRs and CRLs. */
export type SignatureAlgorithmName =
  | 'ecdsa-with-SHA256'
  | 'ecdsa-with-SHA384'
  | 'ecdsa-with-SHA512'
  | 'sha256WithRSAEncryption'
  | 'sha384WithRSAEncryption'
  | 'sha512WithRSAEncryption'
  | 'RSASSA-PSS-SHA256'
  | 'Ed25519'
  | 'Ed448';

function pssParameters(hash: HashName, saltLength: number): Uint8Array {
  const digest = encodeAlgorithmIdentifier(DIGEST_OIDS[hash], NULL_DER);
  return der.sequence(
    der.explicit(0, digest),
    der.explicit(1, encodeAlgorithmIdentifier(OID.mgf1, digest)),
    der.explicit(2, der.integer(saltLength)),
  );
}

/**
 * ecdsa-with-SHA256 (RFC 5758 §3.2: parameters absent), the signature of ecp's own keys. On
 * its own so that code signing only with it (the browser SDK's CSRs) carries no other
 * algorithm's identifier, as signatureAlgorithmIdentifier's table does.
 */
export const ecdsaWithSha256Identifier = (): Uint8Array => encodeAlgorithmIdentifier(OID.ecdsaWithSha256);

/** The DER AlgorithmIdentifier for a signature algorithm, as OpenSSL writes it. */
export function signatureAlgorithmIdentifier(name: SignatureAlgorithmName): Uint8Array {
  switch (name) {
    case 'ecdsa-with-SHA256':
      return ecdsaWithSha256Identifier();
    case 'ecdsa-with-SHA384':
      return encodeAlgorithmIdentifier(OID.ecdsaWithSha384);
    case 'ecdsa-with-SHA512':
      return encodeAlgorithmIdentifier(OID.ecdsaWithSha512);
    case 'sha256WithRSAEncryption':
      return encodeAlgorithmIdentifier(OID.sha256WithRsa, NULL_DER);
    case 'sha384WithRSAEncryption':
      return encodeAlgorithmIdentifier(OID.sha384WithRsa, NULL_DER);
    case 'sha512WithRSAEncryption':
      return encodeAlgorithmIdentifier(OID.sha512WithRsa, NULL_DER);
    case 'RSASSA-PSS-SHA256':
      return encodeAlgorithmIdentifier(OID.rsassaPss, pssParameters('sha256', 32));
    case 'Ed25519':
      return encodeAlgorithmIdentifier(OID.ed25519);
    case 'Ed448':
      return encodeAlgorithmIdentifier(OID.ed448);
  }
}

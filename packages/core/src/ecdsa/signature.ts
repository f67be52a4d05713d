/**
 * ECDSA signature encodings, browser-safe: the DER `ECDSA-Sig-Value` of the wire format
 * (RFC 3279 §2.2.3) and the fixed-width r‖s (IEEE P1363) that WebCrypto produces.
 *
 * Parsing is strict because the contract says so (strict DER only): exactly one SEQUENCE of
 * two minimal, positive INTEGERs with 0 < r, s < n and nothing after it. The magnitude checks
 * are done on bytes, not bigints, so a verify call pays almost nothing for them.
 */
import { fromHex } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import { decodeDer, readUnsignedIntegerBytes, sequence } from '../der/reader.js';
import { integer, sequence as encodeSequence } from '../der/writer.js';

/** Curves whose group order ecp knows; the ones met in ecp keys and in CA chains. */
export type EcdsaCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

/** Group order n of P-256 (FIPS 186-4 D.1.2.3), also the bound of key files' private scalars. */
export const P256_ORDER = /* @__PURE__ */ fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * Group orders n, big-endian, at the curve's scalar width (from `openssl ecparam -param_enc
 * explicit`). Pure, so that code that only encodes signatures (p1363ToDer) drops them.
 */
const CURVE_ORDERS: Readonly<Record<EcdsaCurve, Uint8Array>> = {
  'P-256': P256_ORDER,
  'P-384': /* @__PURE__ */ fromHex(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  ),
  'P-521': /* @__PURE__ */ fromHex(
    '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
  secp256k1: /* @__PURE__ */ fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
};

/** Width in bytes of r and s in the r‖s form, per curve. */
export const ECDSA_SCALAR_SIZE: Readonly<Record<EcdsaCurve, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
};

/** Upper bound on a DER signature: two 66-byte scalars with sign octets and headers. */
const MAX_DER_SIGNATURE_LENGTH = 2 * (2 + 1 + 67) + 4;

export interface EcdsaSignatureParts {
  /** Magnitude of r, big-endian, without leading zero octets. */
  readonly r: Uint8Array;
  /** Magnitude of s, big-endian, without leading zero octets. */
  readonly s: Uint8Array;
}

/** A curve name, or the scalar width in bytes (32 → P-256, 48 → P-384, 66 → P-521). */
export type EcdsaCurveSelector = EcdsaCurve | 32 | 48 | 66;

function resolveCurve(curve: EcdsaCurveSelector): EcdsaCurve {
  if (typeof curve === 'string') {
    if (!(curve in ECDSA_SCALAR_SIZE)) throw new MalformedInputError(`unsupported ECDSA curve ${curve}`);
    return curve;
  }
  if (curve === 32) return 'P-256';
  if (curve === 48) return 'P-384';
  if (curve === 66) return 'P-521';
  throw new MalformedInputError(`no ECDSA curve has ${String(curve)}-byte scalars`);
}

/** 0 < x < n, with x a minimal magnitude (no leading zero octet unless x is 0). */
function inRange(x: Uint8Array, order: Uint8Array): boolean {
  if (x.length === 1 && x[0] === 0) return false;
  // order has no leading zero except P-521's 0x01, which still makes length comparison valid.
  if (x.length !== order.length) return x.length < order.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== order[i]) return x[i]! < order[i]!;
  return false;
}

/**
 * Parses a strict DER ECDSA-Sig-Value and checks 0 < r, s < n for the curve.
 * Throws {@link MalformedInputError} for anything else (BER, trailing bytes, negative or zero
 * or out-of-range values, extra fields).
 */
export function parseDerSignature(der: Uint8Array, curve: EcdsaCurveSelector = 'P-256'): EcdsaSignatureParts {
  const name = resolveCurve(curve);
  const what = 'ECDSA signature';
  if (der.length > MAX_DER_SIGNATURE_LENGTH) throw new MalformedInputError(`${what}: too long`);
  const fields = sequence(decodeDer(der, what), what);
  const r = readUnsignedIntegerBytes(fields.next(undefined, 'r'), `${what} r`);
  const s = readUnsignedIntegerBytes(fields.next(undefined, 's'), `${what} s`);
  fields.end();
  const order = CURVE_ORDERS[name];
  if (!inRange(r, order)) throw new MalformedInputError(`${what}: r is not in 1..n-1`);
  if (!inRange(s, order)) throw new MalformedInputError(`${what}: s is not in 1..n-1`);
  return { r, s };
}

function leftPad(magnitude: Uint8Array, size: number, out: Uint8Array, offset: number): void {
  out.set(magnitude, offset + size - magnitude.length);
}

/** DER → r‖s at the curve's width (what WebCrypto's ECDSA verify wants). Strict like {@link parseDerSignature}. */
export function derToP1363(der: Uint8Array, curve: EcdsaCurveSelector = 'P-256'): Uint8Array {
  const name = resolveCurve(curve);
  const size = ECDSA_SCALAR_SIZE[name];
  const { r, s } = parseDerSignature(der, name);
  const out = new Uint8Array(size * 2);
  leftPad(r, size, out, 0);
  leftPad(s, size, out, size);
  return out;
}

/** The scalar widths of the curves ecp knows (P-256 and secp256k1 share 32). */
const SCALAR_WIDTHS: readonly number[] = [32, 48, 66];

/**
 * r‖s → DER (what WebCrypto's ECDSA sign gives → what the wire carries). The width comes from
 * `curve`, or from the length when it is one of 64/96/132 bytes; any other length is refused,
 * so that a padded or truncated r‖s can never be re-encoded into a valid-looking DER value.
 * Out-of-range r or s is not checked here: the verifier's strict parse refuses it.
 */
export function p1363ToDer(raw: Uint8Array, curve?: EcdsaCurveSelector): Uint8Array {
  const size = raw.length / 2;
  // Only widths, not orders, matter here: no resolveCurve, so encoders (the browser SDK) stay small.
  const expected = typeof curve === 'string' ? ECDSA_SCALAR_SIZE[curve] : (curve ?? size);
  if (size !== expected || !SCALAR_WIDTHS.includes(size)) {
    throw new MalformedInputError(`ECDSA r||s signature: unexpected length ${raw.length}`);
  }
  return encodeSequence(integer(raw.subarray(0, size)), integer(raw.subarray(size)));
}

/**
 * DER encoders: each function returns one complete element. Composing them builds
 * certificates, CSRs, PKCS#8 and PKCS#12 structures byte-exactly.
 */
import { concatBytes } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as TAG from './tags.js';

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One element from its identifier octet and contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const value = contents.length === 1 ? contents[0]! : concatBytes(...contents);
  return concatBytes(Uint8Array.of(tag), encodeLength(value.length), value);
}

export const sequence = (...items: Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);

/** SET OF: DER orders the encodings as octet strings (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  return tlv(TAG.SET, ...sorted);
}

/** A non-negative INTEGER from a number, a bigint or big-endian magnitude bytes. */
export function integer(value: number | bigint | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.subarray(start);
    if (bytes.length === 0) bytes = Uint8Array.of(0);
  } else {
    let n = BigInt(value);
    if (n < 0n) throw new MalformedInputError('negative INTEGERs are not written by ecp');
    const out: number[] = [];
    do {
      out.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    bytes = Uint8Array.from(out);
  }
  return tlv(TAG.INTEGER, bytes[0]! & 0x80 ? concatBytes(Uint8Array.of(0), bytes) : bytes);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new MalformedInputError(`bad OBJECT IDENTIFIER ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2) throw new MalformedInputError(`bad OBJECT IDENTIFIER ${dotted}`);
  const out: number[] = [];
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  for (const v of values) {
    const group: number[] = [v & 0x7f];
    for (let n = Math.floor(v / 128); n > 0; n = Math.floor(n / 128)) group.unshift(0x80 | (n & 0x7f));
    out.push(...group);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);
export const bitString = (bytes: Uint8Array, unusedBits = 0): Uint8Array =>
  tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
export const nullValue = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);
export const boolean = (value: boolean): Uint8Array => Uint8Array.of(TAG.BOOLEAN, 1, value ? 0xff : 0);
export const utf8String = (text: string): Uint8Array => tlv(TAG.UTF8_STRING, new TextEncoder().encode(text));
export const printableString = (text: string): Uint8Array => tlv(TAG.PRINTABLE_STRING, ascii(text));
export const ia5String = (text: string): Uint8Array => tlv(TAG.IA5_STRING, ascii(text));

/** BMPString (UTF-16BE), which PKCS#12 uses for friendly names. */
export function bmpString(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) >> 8;
    out[i * 2 + 1] = text.charCodeAt(i) & 0xff;
  }
  return tlv(TAG.BMP_STRING, out);
}

function ascii(text: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new MalformedInputError('expected printable ASCII');
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, Z. */
export function time(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, ascii(`${pad(y % 100)}${rest}`));
  return tlv(TAG.GENERALIZED_TIME, ascii(`${pad(y, 4)}${rest}`));
}

/** `[n] EXPLICIT`: the inner element wrapped whole. */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);

/** `[n] IMPLICIT` over a constructed type: the contents of `inner` under a new tag. */
export const implicitConstructed = (n: number, contents: Uint8Array): Uint8Array => tlv(0xa0 | n, contents);

/** `[n] IMPLICIT` over a primitive type (e.g. a GeneralName's rfc822Name). */
export const implicitPrimitive = (n: number, contents: Uint8Array): Uint8Array => tlv(0x80 | n, contents);

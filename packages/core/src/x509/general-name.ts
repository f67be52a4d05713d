/**
 * GeneralName (RFC 5280 §4.2.1.6), used by subjectAltName, authorityKeyIdentifier and (for the
 * path validator) nameConstraints and CRL distribution points. Browser-safe.
 */
import { MalformedInputError } from '../errors.js';
import * as TAG from '../der/tags.js';
import {
  DerCursor,
  childrenOf,
  contextConstructed,
  contextPrimitive,
  decodeDer,
  readOid,
  type DerElement,
} from '../der/reader.js';
import * as der from '../der/writer.js';
import { parseName, type DistinguishedName } from './name.js';

export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; /** DER of the `[0] EXPLICIT` value's content element. */ readonly value: Uint8Array; readonly der: Uint8Array }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string; readonly der: Uint8Array }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly der: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: DistinguishedName; readonly der: Uint8Array }
  | {
      readonly type: 'iPAddress';
      /** Dotted IPv4 or full, uncompressed lower-case IPv6 (`2001:db8:0:0:0:0:0:1`); `address/mask` in a constraint. */
      readonly value: string;
      /** 4 or 16 octets (8 or 32 in nameConstraints: address then mask). */
      readonly bytes: Uint8Array;
      readonly der: Uint8Array;
    }
  | { readonly type: 'registeredID'; readonly oid: string; readonly der: Uint8Array };

/** IA5String contents: 7-bit ASCII only. */
function readIa5(element: DerElement, what: string): string {
  let text = '';
  for (const b of element.value) {
    if (b > 0x7f) throw new MalformedInputError(`${what}: not an IA5String`);
    text += String.fromCharCode(b);
  }
  return text;
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/**
 * Where a GeneralName appears decides the form of an iPAddress: an address (4 or 16 octets)
 * in names, an address and a mask (8 or 32 octets) in nameConstraints subtrees (RFC 5280 §4.2.1.10).
 */
export type GeneralNameContext = 'name' | 'constraint';

/** One GeneralName; `iPAddress` is checked for the length its `context` allows. */
export function parseGeneralName(element: DerElement, what = 'GeneralName', context: GeneralNameContext = 'name'): GeneralName {
  const bytes = element.bytes;
  switch (element.tag) {
    case contextConstructed(0): {
      const fields = new DerCursor(element, `${what} otherName`);
      const typeId = readOid(fields.next(TAG.OID, 'type-id'), `${what} otherName`);
      const wrapped = fields.next(contextConstructed(0), 'value');
      fields.end();
      return { type: 'otherName', typeId, value: decodeDer(wrapped.value, `${what} otherName value`).bytes, der: bytes };
    }
    case contextPrimitive(1):
      return { type: 'rfc822Name', value: readIa5(element, `${what} rfc822Name`), der: bytes };
    case contextPrimitive(2):
      return { type: 'dNSName', value: readIa5(element, `${what} dNSName`), der: bytes };
    case contextConstructed(3):
      return { type: 'x400Address', der: bytes };
    case contextConstructed(4):
      return { type: 'directoryName', name: parseName(decodeDer(element.value, `${what} directoryName`), `${what} directoryName`), der: bytes };
    case contextConstructed(5):
      return { type: 'ediPartyName', der: bytes };
    case contextPrimitive(6):
      return { type: 'uniformResourceIdentifier', value: readIa5(element, `${what} URI`), der: bytes };
    case contextPrimitive(7): {
      const ip = element.value;
      if (context === 'name' && (ip.length === 4 || ip.length === 16)) return { type: 'iPAddress', value: formatIp(ip), bytes: ip, der: bytes };
      if (context === 'constraint' && (ip.length === 8 || ip.length === 32)) {
        const half = ip.length / 2;
        const value = `${formatIp(ip.subarray(0, half))}/${formatIp(ip.subarray(half))}`;
        return { type: 'iPAddress', value, bytes: ip, der: bytes };
      }
      throw new MalformedInputError(`${what}: iPAddress of ${ip.length} octets`);
    }
    case contextPrimitive(8): {
      const oid = readOid({ ...element, tag: TAG.OID }, `${what} registeredID`);
      return { type: 'registeredID', oid, der: bytes };
    }
    default:
      throw new MalformedInputError(`${what}: unknown GeneralName tag 0x${element.tag.toString(16)}`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, given the SEQUENCE (or an IMPLICIT-tagged one). */
export function parseGeneralNames(element: DerElement, what = 'GeneralNames'): GeneralName[] {
  const names = childrenOf(element, what).map((child) => parseGeneralName(child, what));
  if (names.length === 0) throw new MalformedInputError(`${what}: empty`);
  return names;
}

/** What the encoders accept. IP addresses as dotted IPv4 or IPv6 text (`::` allowed). */
export type GeneralNameInput =
  | { readonly type: 'dNSName' | 'rfc822Name' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'iPAddress'; readonly value: string }
  | { readonly type: 'directoryName'; readonly nameDer: Uint8Array };

function parseIpText(text: string): Uint8Array {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) throw new MalformedInputError(`bad IPv4 address ${text}`);
    return Uint8Array.from(parts);
  }
  const halves = text.split('::');
  if (halves.length > 2 || !/^[0-9a-fA-F:]+$/.test(text)) throw new MalformedInputError(`bad IP address ${text}`);
  const groupsOf = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new MalformedInputError(`bad IPv6 address ${text}`);
    return parseInt(g, 16);
  }));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    throw new MalformedInputError(`bad IPv6 address ${text}`);
  }
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export function encodeGeneralName(name: GeneralNameInput): Uint8Array {
  const ascii = (s: string): Uint8Array => {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new MalformedInputError(`${name.type} must be printable ASCII`);
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  switch (name.type) {
    case 'rfc822Name':
      return der.implicitPrimitive(1, ascii(name.value));
    case 'dNSName':
      return der.implicitPrimitive(2, ascii(name.value));
    case 'uniformResourceIdentifier':
      return der.implicitPrimitive(6, ascii(name.value));
    case 'iPAddress':
      return der.implicitPrimitive(7, parseIpText(name.value));
    case 'directoryName':
      // Decoded first so that only one well-formed element can end up inside the [4].
      return der.explicit(4, decodeDer(name.nameDer, 'Name').bytes);
  }
}

export const encodeGeneralNames = (names: readonly GeneralNameInput[]): Uint8Array => der.sequence(...names.map(encodeGeneralName));

/**
 * Certificate extensions (RFC 5280 §4.2): the raw list, decoders for the ones ecp and the path
 * validator read, and encoders for the ones ecp writes. Browser-safe.
 *
 * A known extension whose value does not decode makes the whole certificate malformed (as in
 * OpenSSL); unknown extensions are kept raw and never rejected here: whether an unknown
 * critical extension is fatal is the path validator's decision.
 */
import { toHex } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import { oidName } from '../der/oids.js';
import * as TAG from '../der/tags.js';
import {
  childrenOf,
  contextConstructed,
  contextPrimitive,
  decodeDer,
  expectTag,
  readBitString,
  readBoolean,
  readOctetString,
  readOid,
  readSmallInteger,
  readUnsignedIntegerBytes,
  sequence,
  type DerElement,
} from '../der/reader.js';
import * as der from '../der/writer.js';
import { parseGeneralName, parseGeneralNames, type GeneralName } from './general-name.js';

export interface Extension {
  /** Dotted extnID. */
  readonly oid: string;
  /** ecp's name for the OID (`basicConstraints`, ...) or the dotted OID. */
  readonly name: string;
  readonly critical: boolean;
  /** The contents of extnValue: the DER of the extension's own value. */
  readonly value: Uint8Array;
}

export interface BasicConstraints {
  readonly cA: boolean;
  readonly pathLenConstraint?: number;
}

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];
export type KeyUsage = Readonly<Record<KeyUsageName, boolean>>;

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: Uint8Array;
  readonly authorityCertIssuer?: readonly GeneralName[];
  /** Lower-case hex without the sign octet, like `Certificate.serialNumber`. */
  readonly authorityCertSerialNumber?: string;
}

export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum?: number;
}

export interface NameConstraints {
  readonly permittedSubtrees?: readonly GeneralSubtree[];
  readonly excludedSubtrees?: readonly GeneralSubtree[];
}

/** The decoded forms of the extensions ecp reads; absent when the certificate lacks them. */
export interface DecodedExtensions {
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: KeyUsage;
  /** Dotted OIDs (`1.3.6.1.5.5.7.3.2` is clientAuth: see `OID`). */
  readonly extKeyUsage?: readonly string[];
  readonly subjectAltName?: readonly GeneralName[];
  readonly subjectKeyIdentifier?: Uint8Array;
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifier;
  readonly nameConstraints?: NameConstraints;
}

/**
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension. An empty list, a critical flag written
 * as an explicit FALSE (DER omits DEFAULT values) or the same extnID twice (RFC 5280 §4.2) is
 * malformed.
 */
export function parseExtensions(element: DerElement, what = 'extensions'): Extension[] {
  const items = childrenOf(expectTag(element, TAG.SEQUENCE, what), what);
  if (items.length === 0) throw new MalformedInputError(`${what}: empty extension list`);
  const seen = new Set<string>();
  return items.map((item) => {
    const fields = sequence(item, `${what} entry`);
    const oid = readOid(fields.next(TAG.OID, 'extnID'), `${what} entry`);
    const flag = fields.optional(TAG.BOOLEAN);
    const critical = flag ? readBoolean(flag, `${what} ${oidName(oid)} critical`) : false;
    if (flag && !critical) throw new MalformedInputError(`${what}: ${oidName(oid)} has an explicit critical=FALSE, which DER omits`);
    const value = readOctetString(fields.next(TAG.OCTET_STRING, 'extnValue'), `${what} entry`);
    fields.end();
    if (seen.has(oid)) throw new MalformedInputError(`${what}: ${oidName(oid)} appears twice`);
    seen.add(oid);
    return { oid, name: oidName(oid), critical, value };
  });
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const what = 'basicConstraints';
  const fields = sequence(decodeDer(value, what), what);
  const flag = fields.optional(TAG.BOOLEAN);
  const cA = flag ? readBoolean(flag, what) : false;
  if (flag && !cA) throw new MalformedInputError(`${what}: explicit cA=FALSE, which DER omits`);
  const pathLen = fields.optional(TAG.INTEGER);
  fields.end();
  return pathLen ? { cA, pathLenConstraint: readSmallInteger(pathLen, `${what} pathLenConstraint`) } : { cA };
}

/** KeyUsage named bits. DER drops trailing zero bits (X.690 §11.2.2), so a zero last bit is malformed. */
export function decodeKeyUsage(value: Uint8Array): KeyUsage {
  const what = 'keyUsage';
  const bits = readBitString(decodeDer(value, what), what);
  if (bits.bytes.length > 0 && (bits.bytes[bits.bytes.length - 1]! & (1 << bits.unusedBits)) === 0) {
    throw new MalformedInputError(`${what}: trailing zero bits are not DER`);
  }
  const isSet = (i: number): boolean => i < bits.bytes.length * 8 && (bits.bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0;
  const usage = {} as Record<KeyUsageName, boolean>;
  KEY_USAGE_BITS.forEach((name, i) => (usage[name] = isSet(i)));
  return usage;
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const what = 'extKeyUsage';
  const oids = childrenOf(expectTag(decodeDer(value, what), TAG.SEQUENCE, what), what).map((e) => readOid(e, what));
  if (oids.length === 0) throw new MalformedInputError(`${what}: empty`);
  return oids;
}

export function decodeSubjectAltName(value: Uint8Array): GeneralName[] {
  const what = 'subjectAltName';
  return parseGeneralNames(expectTag(decodeDer(value, what), TAG.SEQUENCE, what), what);
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  return readOctetString(decodeDer(value, 'subjectKeyIdentifier'), 'subjectKeyIdentifier');
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const what = 'authorityKeyIdentifier';
  const fields = sequence(decodeDer(value, what), what);
  const keyId = fields.optional(contextPrimitive(0));
  const issuer = fields.optional(contextConstructed(1));
  const serial = fields.optional(contextPrimitive(2));
  fields.end();
  if ((issuer === undefined) !== (serial === undefined)) {
    throw new MalformedInputError(`${what}: authorityCertIssuer and authorityCertSerialNumber go together`);
  }
  return {
    ...(keyId ? { keyIdentifier: keyId.value } : {}),
    ...(issuer ? { authorityCertIssuer: parseGeneralNames(issuer, `${what} authorityCertIssuer`) } : {}),
    ...(serial ? { authorityCertSerialNumber: toHex(readUnsignedIntegerBytes({ ...serial, tag: TAG.INTEGER }, `${what} serial`)) } : {}),
  };
}

function parseSubtrees(element: DerElement, what: string): GeneralSubtree[] {
  const subtrees = childrenOf(element, what).map((item) => {
    const fields = sequence(item, what);
    const base = parseGeneralName(fields.next(undefined, 'base'), `${what} base`, 'constraint');
    const min = fields.optional(contextPrimitive(0));
    const max = fields.optional(contextPrimitive(1));
    fields.end();
    const minimum = min ? readSmallInteger({ ...min, tag: TAG.INTEGER }, `${what} minimum`) : 0;
    if (min && minimum === 0) throw new MalformedInputError(`${what}: explicit minimum 0, which DER omits`);
    return max ? { base, minimum, maximum: readSmallInteger({ ...max, tag: TAG.INTEGER }, `${what} maximum`) } : { base, minimum };
  });
  if (subtrees.length === 0) throw new MalformedInputError(`${what}: empty`);
  return subtrees;
}

export function decodeNameConstraints(value: Uint8Array): NameConstraints {
  const what = 'nameConstraints';
  const fields = sequence(decodeDer(value, what), what);
  const permitted = fields.optional(contextConstructed(0));
  const excluded = fields.optional(contextConstructed(1));
  fields.end();
  if (!permitted && !excluded) throw new MalformedInputError(`${what}: neither permitted nor excluded subtrees`);
  return {
    ...(permitted ? { permittedSubtrees: parseSubtrees(permitted, `${what} permitted`) } : {}),
    ...(excluded ? { excludedSubtrees: parseSubtrees(excluded, `${what} excluded`) } : {}),
  };
}

/** Decodes the known extensions of a parsed list. Throws {@link MalformedInputError} naming the broken one. */
export function decodeExtensions(extensions: readonly Extension[]): DecodedExtensions {
  const find = (oid: string): Uint8Array | undefined => extensions.find((e) => e.oid === oid)?.value;
  const decode = <T>(oid: string, decoder: (value: Uint8Array) => T): T | undefined => {
    const value = find(oid);
    if (value === undefined) return undefined;
    try {
      return decoder(value);
    } catch (error) {
      throw new MalformedInputError(`${oidName(oid)} extension: ${(error as Error).message}`, { cause: error });
    }
  };
  const decoded: Record<string, unknown> = {
    basicConstraints: decode(OID.basicConstraints, decodeBasicConstraints),
    keyUsage: decode(OID.keyUsage, decodeKeyUsage),
    extKeyUsage: decode(OID.extKeyUsage, decodeExtKeyUsage),
    subjectAltName: decode(OID.subjectAltName, decodeSubjectAltName),
    subjectKeyIdentifier: decode(OID.subjectKeyIdentifier, decodeSubjectKeyIdentifier),
    authorityKeyIdentifier: decode(OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier),
    nameConstraints: decode(OID.nameConstraints, decodeNameConstraints),
  };
  for (const key of Object.keys(decoded)) if (decoded[key] === undefined) delete decoded[key];
  return decoded as DecodedExtensions;
}

// ---- encoders -------------------------------------------------------------------------

/** What the certificate builders take: an extension's OID, criticality and DER value. */
export interface ExtensionInput {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Uint8Array;
}

export function encodeExtension(extension: ExtensionInput): Uint8Array {
  const parts = [der.oid(extension.oid)];
  if (extension.critical) parts.push(der.boolean(true));
  parts.push(der.octetString(extension.value));
  return der.sequence(...parts);
}

export function encodeExtensions(extensions: readonly ExtensionInput[]): Uint8Array {
  const seen = new Set<string>();
  for (const e of extensions) {
    if (seen.has(e.oid)) throw new MalformedInputError(`extension ${oidName(e.oid)} given twice`);
    seen.add(e.oid);
  }
  return der.sequence(...extensions.map(encodeExtension));
}

export function encodeBasicConstraints(value: BasicConstraints): Uint8Array {
  const parts: Uint8Array[] = [];
  if (value.cA) parts.push(der.boolean(true));
  if (value.pathLenConstraint !== undefined) parts.push(der.integer(value.pathLenConstraint));
  return der.sequence(...parts);
}

/** A minimal DER NamedBitList: no trailing zero bits. */
export function encodeKeyUsage(usages: readonly KeyUsageName[]): Uint8Array {
  const indexes = usages.map((u) => KEY_USAGE_BITS.indexOf(u));
  if (indexes.length === 0) return der.bitString(new Uint8Array(0));
  const highest = Math.max(...indexes);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const i of indexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return der.bitString(bytes, 7 - (highest & 7));
}

export const encodeExtKeyUsage = (oids: readonly string[]): Uint8Array => der.sequence(...oids.map((o) => der.oid(o)));
export const encodeSubjectKeyIdentifier = (keyId: Uint8Array): Uint8Array => der.octetString(keyId);
export const encodeAuthorityKeyIdentifier = (keyId: Uint8Array): Uint8Array => der.sequence(der.implicitPrimitive(0, keyId));

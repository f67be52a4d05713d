/**
 * X.501 Names (RFC 5280 §4.1.2.4): parsing, encoding, display and comparison. Browser-safe.
 *
 * A parsed name keeps its exact DER (`der`): chaining compares names, and the bytes are what
 * the issuer signed. Display follows RFC 4514 (most specific RDN first, OpenSSL's `-nameopt
 * RFC2253` order) with `, ` between RDNs: `CN=alice, O=Example, C=FR`.
 */
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import { childrenOf, decodeDer, expectTag, readOid, readString, sequence, type DerElement } from '../der/reader.js';
import * as der from '../der/writer.js';
import { bytesEqual, toHex } from '../bytes.js';

/**
 * Short names of the attribute types, as OpenSSL prints them. The tables are Maps built in
 * pure expressions, so that a bundle that only encodes a CN (encodeCommonName) drops them:
 * an object literal with computed keys counts as a side effect to bundlers and stays.
 */
const SHORT_NAMES = /* @__PURE__ */ new Map<string, string>([
  [OID.commonName, 'CN'],
  [OID.surname, 'SN'],
  [OID.serialNumber, 'serialNumber'],
  [OID.countryName, 'C'],
  [OID.localityName, 'L'],
  [OID.stateOrProvinceName, 'ST'],
  [OID.streetAddress, 'street'],
  [OID.organizationName, 'O'],
  [OID.organizationalUnitName, 'OU'],
  [OID.title, 'title'],
  [OID.givenName, 'GN'],
  [OID.emailAddress, 'emailAddress'],
  [OID.domainComponent, 'DC'],
  [OID.userId, 'UID'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
]);

const OIDS_BY_SHORT_NAME = /* @__PURE__ */ new Map<string, string>(/* @__PURE__ */ Array.from(SHORT_NAMES, ([oid, short]) => [short, oid]));

/** The dotted OID of an attribute short name (`CN` → 2.5.4.3); dotted input is returned as is. */
export function attributeOid(shortNameOrOid: string): string {
  const oid = OIDS_BY_SHORT_NAME.get(shortNameOrOid);
  if (oid) return oid;
  if (/^\d+(\.\d+)+$/.test(shortNameOrOid)) return shortNameOrOid;
  throw new MalformedInputError(`unknown name attribute ${shortNameOrOid}`);
}

/** The short name of an attribute type, or its dotted OID when it has none. */
export const attributeShortName = (oid: string): string => SHORT_NAMES.get(oid) ?? oid;

export interface NameAttribute {
  readonly oid: string;
  /** `CN`, `O`, ... or the dotted OID for types without a short name. */
  readonly shortName: string;
  /**
   * The value as text when it is a string type; otherwise `#` + the upper-case hex of its DER,
   * as RFC 4514 writes values it cannot show as text.
   */
  readonly value: string;
  /** True when `value` is decoded text (a string type), false for the `#hex` form. */
  readonly isString: boolean;
  /** The AttributeValue's identifier octet (0x0c UTF8String, 0x13 PrintableString, ...). */
  readonly tag: number;
  /** The AttributeValue's whole DER encoding. */
  readonly valueDer: Uint8Array;
}

export interface DistinguishedName {
  /** The exact DER of the Name, as it appears in the certificate. */
  readonly der: Uint8Array;
  /** Relative distinguished names in encoding order (least specific first, usually C/O first). */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** Every attribute, flattened, in encoding order. */
  readonly attributes: readonly NameAttribute[];
  /**
   * The common name when the name has exactly one CN; `undefined` when it has none or several
   * (an ambiguous identity is not guessed: use `get('CN')` to see them all).
   */
  readonly commonName?: string;
  /** The values of one attribute type (short name or dotted OID), in encoding order. */
  get(shortNameOrOid: string): string[];
  /** RFC 4514 form, most specific RDN first: `CN=alice, O=Example` (OpenSSL's `-nameopt RFC2253` with `, `). */
  toString(): string;
}

/** Types whose values are character strings (DirectoryString and friends) in names. */
const STRING_TAGS = /* @__PURE__ */ new Set<number>([
  TAG.UTF8_STRING,
  TAG.PRINTABLE_STRING,
  TAG.T61_STRING,
  TAG.IA5_STRING,
  TAG.BMP_STRING,
  TAG.UNIVERSAL_STRING,
  0x12, // NumericString
  0x1a, // VisibleString
]);

function parseAttribute(element: DerElement, what: string): NameAttribute {
  const fields = sequence(element, what);
  const oid = readOid(fields.next(TAG.OID, 'attribute type'), what);
  const value = fields.next(undefined, 'attribute value');
  fields.end();
  const isString = STRING_TAGS.has(value.tag);
  const text = isString ? readString(value, `${what} value`) : `#${toHex(value.bytes).toUpperCase()}`;
  return { oid, shortName: attributeShortName(oid), value: text, isString, tag: value.tag, valueDer: value.bytes };
}

/** RFC 4514 §2.4 escaping of a string value. */
function escapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const edgeSpace = c === ' ' && (i === 0 || i === value.length - 1);
    if ('\\"+,;<>'.includes(c) || edgeSpace || (i === 0 && c === '#')) out += `\\${c}`;
    else if (c === '\0') out += '\\00';
    else out += c;
  }
  return out;
}

const hexValue = (a: NameAttribute): string => `#${toHex(a.valueDer).toUpperCase()}`;

/** RFC 4514 §2.4: a type shown as a dotted OID, or a value that is not a string, is written as `#` + hex DER. */
const formatAttribute = (a: NameAttribute): string =>
  `${a.shortName}=${a.isString && a.shortName !== a.oid ? escapeValue(a.value) : hexValue(a)}`;

function makeName(nameDer: Uint8Array, rdns: NameAttribute[][]): DistinguishedName {
  const attributes = rdns.flat();
  const commonNames = attributes.filter((a) => a.oid === OID.commonName);
  const commonName = commonNames.length === 1 ? commonNames[0]!.value : undefined;
  const text = [...rdns].reverse().map((rdn) => rdn.map(formatAttribute).join('+')).join(', ');
  return {
    der: nameDer,
    rdns,
    attributes,
    ...(commonName === undefined ? {} : { commonName }),
    get(shortNameOrOid: string): string[] {
      const oid = OIDS_BY_SHORT_NAME.get(shortNameOrOid) ?? shortNameOrOid;
      return attributes.filter((a) => a.oid === oid).map((a) => a.value);
    },
    toString: () => text,
  };
}

/**
 * Parses a Name element. Every RDN must hold at least one attribute. The DER order of a
 * multi-valued RDN's SET is not enforced (some CAs get it wrong and the signature covers the
 * bytes anyway); comparison treats an RDN as a set.
 */
export function parseName(element: DerElement, what = 'Name'): DistinguishedName {
  expectTag(element, TAG.SEQUENCE, what);
  const rdns: NameAttribute[][] = [];
  for (const rdn of childrenOf(element, what)) {
    expectTag(rdn, TAG.SET, `${what} RDN`);
    const attributes = childrenOf(rdn, what).map((a) => parseAttribute(a, `${what} attribute`));
    if (attributes.length === 0) throw new MalformedInputError(`${what}: empty RDN`);
    rdns.push(attributes);
  }
  return makeName(element.bytes, rdns);
}

/** A Name from its standalone DER encoding. */
export const decodeName = (nameDer: Uint8Array): DistinguishedName => parseName(decodeDer(nameDer, 'Name'));

/** One attribute to encode: short name (`CN`) or dotted OID, and its text. */
export type NameEntry = readonly [type: string, value: string];

/**
 * What {@link encodeName} accepts: an object (`{ CN: 'alice', O: 'Example' }`, written in the
 * conventional order C, ST, L, street, O, OU, title, CN, ... whatever order the keys have) or an
 * ordered list of `[type, value]` entries written exactly in the order given, one RDN each.
 */
export type NameInput = Readonly<Record<string, string | undefined>> | readonly NameEntry[];

/** Least specific first, as OpenSSL and most CAs write names. */
const CONVENTIONAL_ORDER = ['DC', 'C', 'ST', 'L', 'street', 'postalCode', 'O', 'OU', 'title', 'SN', 'GN', 'initials', 'pseudonym', 'CN', 'UID', 'serialNumber', 'emailAddress'];

function encodeValue(oid: string, value: string): Uint8Array {
  switch (oid) {
    case OID.countryName:
      if (!/^[A-Za-z]{2}$/.test(value)) throw new MalformedInputError('country name must be two letters');
      return der.printableString(value);
    case OID.serialNumber:
    case '2.5.4.46': // dnQualifier
      return der.printableString(value);
    case OID.emailAddress:
    case OID.domainComponent:
      return der.ia5String(value);
    default:
      return der.utf8String(value);
  }
}

/**
 * Encodes a Name: UTF8String for text attributes (CN, O, OU, ...), PrintableString for C,
 * serialNumber and dnQualifier, IA5String for emailAddress and DC. One attribute per RDN.
 */
export function encodeName(input: NameInput): Uint8Array {
  let entries: NameEntry[];
  if (Array.isArray(input)) {
    entries = [...(input as readonly NameEntry[])];
  } else {
    const record = input as Readonly<Record<string, string | undefined>>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    const rank = (k: string): number => {
      const i = CONVENTIONAL_ORDER.indexOf(k);
      return i < 0 ? CONVENTIONAL_ORDER.length : i;
    };
    keys.sort((a, b) => rank(a) - rank(b));
    entries = keys.map((k) => [k, record[k]!] as const);
  }
  const rdns = entries.map(([type, value]) => {
    const oid = attributeOid(type);
    return der.setOf(der.sequence(der.oid(oid), encodeValue(oid, value)));
  });
  return der.sequence(...rdns);
}

/**
 * The Name `CN=<commonName>`, byte for byte what `encodeName({ CN: commonName })` writes (one
 * RDN, UTF8String) without encodeName's attribute tables: all a CSR made in the browser needs.
 */
export const encodeCommonName = (commonName: string): Uint8Array =>
  der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))));

/**
 * RFC 4518-style caseIgnoreMatch preparation, the subset RFC 5280 §7.1 asks of conforming
 * implementations: Unicode NFKC, case folding (toLowerCase after toUpperCase, which folds
 * characters like ß/ẞ the same way), leading and trailing whitespace removed, and every inner
 * run of whitespace folded to one space.
 */
export function prepareNameString(value: string): string {
  return value.normalize('NFKC').toUpperCase().toLowerCase().trim().replace(/\s+/g, ' ');
}

function attributesMatch(a: NameAttribute, b: NameAttribute): boolean {
  if (a.oid !== b.oid) return false;
  if (a.isString && b.isString) return prepareNameString(a.value) === prepareNameString(b.value);
  return bytesEqual(a.valueDer, b.valueDer);
}

function rdnsMatch(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  const unused = [...b];
  for (const attribute of a) {
    const i = unused.findIndex((candidate) => attributesMatch(attribute, candidate));
    if (i < 0) return false;
    unused.splice(i, 1);
  }
  return true;
}

/**
 * Name equality for chaining (RFC 5280 §7.1). Identical DER matches at once. Otherwise the
 * names must have the same number of RDNs, pairwise (in order) with the same attributes (an
 * RDN is compared as a set); string values of any string type are compared after
 * {@link prepareNameString}, so `UTF8String "Example  CA"` matches `PrintableString "example ca"`;
 * non-string values must be byte-identical.
 */
export function namesMatch(a: DistinguishedName, b: DistinguishedName): boolean {
  if (bytesEqual(a.der, b.der)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  return a.rdns.every((rdn, i) => rdnsMatch(rdn, b.rdns[i]!));
}

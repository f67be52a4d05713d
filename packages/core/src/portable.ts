/**
 * The browser-safe part of @ecp/core: parsing and encoding only. Nothing imported from
 * here may reach a `node:` module; @ecp/browser bundles it.
 */
export * from './bytes.js';
export * from './errors.js';
export * from './pem.js';
export * from './x509/portable.js';
export * from './ecdsa/portable.js';
export * from './keys/portable.js';
export * as der from './der/writer.js';
export {
  TAG,
  DerCursor,
  childrenOf,
  contextConstructed,
  contextPrimitive,
  decodeDer,
  expectTag,
  readBitString,
  readBoolean,
  readElement,
  readInteger,
  readNull,
  readOctetAlignedBits,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  readUnsignedIntegerBytes,
  sequence,
} from './der/reader.js';
export type { BitString, DerElement } from './der/reader.js';
export { OID, oidName } from './der/oids.js';
export type { OidName } from './der/oids.js';

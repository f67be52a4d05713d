/**
 * Identifier octets of the universal types ecp reads and writes (X.690 §8.1.2, tag numbers
 * below 31), one export each: code imports them as a namespace (`TAG.SEQUENCE`), which a
 * bundler resolves to plain constants. (der/reader.ts re-exports the namespace as `TAG`.)
 */
export const BOOLEAN = 0x01;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const NULL = 0x05;
export const OID = 0x06;
export const ENUMERATED = 0x0a;
export const UTF8_STRING = 0x0c;
export const PRINTABLE_STRING = 0x13;
export const T61_STRING = 0x14;
export const IA5_STRING = 0x16;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;
export const UNIVERSAL_STRING = 0x1c;
export const BMP_STRING = 0x1e;
export const SEQUENCE = 0x30;
export const SET = 0x31;

/**
 * The table of object identifiers as one value, with names for the dotted forms: what Node
 * code that shows OIDs to people needs (`ecp inspect`, parsed certificates' algorithm and
 * extension names). The identifiers themselves are defined in oid-list.ts; browser-safe code
 * imports that module as a namespace so that bundles keep only the ones they use, and never
 * imports this one (the name map below needs every identifier).
 */
import * as OID from './oid-list.js';

export { OID };

export type OidName = keyof typeof OID;

const NAMES = new Map<string, OidName>(Object.entries(OID).map(([name, dotted]) => [dotted, name as OidName]));

/** The name ecp uses for a dotted OID, or the dotted form when ecp has no name for it. */
export const oidName = (dotted: string): string => NAMES.get(dotted) ?? dotted;

/**
 * A name→OID table read the other way (OID→name), so that each module writes its table
 * once, for writing, and derives the one it parses with: the two cannot disagree, and the
 * browser bundle carries one copy of each table.
 */
export const invertTable = <K extends string>(table: Readonly<Record<K, string>>): Readonly<Record<string, K>> =>
  Object.fromEntries(Object.entries(table).map(([name, oid]) => [oid, name])) as Record<string, K>;

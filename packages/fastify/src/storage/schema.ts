/**
 * Row types of the ecp tables, as Kysely sees them. The SQL that creates them lives
 * in `migrations.ts`; keep both in step (a migration is never edited once released, so a
 * change here comes with a new migration there).
 */
import type { ColumnType } from 'kysely';

/** A timestamptz column read as a Date (both `pg` and PGlite parse timestamptz to Date). */
type Timestamp = ColumnType<Date, Date, Date>;
/** A timestamptz column with a database default (`now()`), so optional on insert. */
type TimestampWithDefault = ColumnType<Date, Date | undefined, Date>;

export interface NoncesTable {
  /** Opaque random identifier handed to the client as `nonce_id` (22 base64url characters). */
  id: string;
  /** The challenge itself: 32 random bytes as 64 lower-case hex characters. */
  nonce: string;
  created_at: TimestampWithDefault;
  expires_at: Timestamp;
  /** Set once, atomically, by the first consume; null while the nonce is unused. */
  consumed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CertificatesTable {
  /** One current certificate per user. */
  user_id: string;
  /** `pg` reads bytea as a Buffer, PGlite as a Uint8Array: both are Uint8Arrays. */
  der: Uint8Array;
  /** SHA-256 of `der`, lower-case hex without separators. */
  sha256: string;
  not_before: Timestamp;
  not_after: Timestamp;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

/** What a jsonb column holds once parsed. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SessionsTable {
  sid: string;
  /**
   * The serialized session. Written as text cast to jsonb in SQL (`cast($1 as jsonb)`), so
   * that `pg` and PGlite, which serialize a JS string parameter for a jsonb slot differently,
   * store the same value; read back already parsed.
   */
  data: ColumnType<JsonValue, string, string>;
  expires_at: Timestamp;
}

/** A counter of the database rate-limit store: the hits of one key in its current window. */
export interface RateLimitsTable {
  /** The route's namespace and the client's key (an IP address, or an IPv6 /64). */
  key: string;
  hits: number;
  /** When the current window ends; a hit after it starts a new one. */
  resets_at: Timestamp;
}

export interface EcpTables {
  ecp_nonces: NoncesTable;
  ecp_certificates: CertificatesTable;
  ecp_sessions: SessionsTable;
  ecp_rate_limits: RateLimitsTable;
}

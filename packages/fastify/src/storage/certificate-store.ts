/**
 * The current certificate of each user (registration or `POST /ecp/certificate` puts it
 * here; login verifies signatures against its key). One row per user: saving replaces.
 */
import { InputTooLargeError, MalformedInputError } from '@ecp/core';
import type { Kysely } from 'kysely';
import { checkKey } from './limits.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { EcpTables } from './schema.js';

/** A PEM over 10 000 bytes is refused upstream (contract §3), so its DER is well below this. */
export const MAX_CERTIFICATE_DER_BYTES = 10_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface CertificateInfo {
  /** SHA-256 of the DER, lower-case hex without separators. */
  sha256: string;
  notBefore: Date;
  notAfter: Date;
}

export interface StoredCertificate extends CertificateInfo {
  der: Uint8Array;
}

export class CertificateStore {
  readonly #db: Kysely<EcpTables>;
  /** The lookup every login runs (success or not), compiled once: only the user id changes. */
  readonly #select: PrecompiledQuery<[userId: string], { der: Uint8Array; sha256: string; not_before: Date; not_after: Date }>;

  constructor(db: Kysely<EcpTables>) {
    this.#db = db;
    this.#select = new PrecompiledQuery(db, 'CertificateStore: the compiled certificate SELECT', ['\u0000userId'], (userId) =>
      db.selectFrom('ecp_certificates').select(['der', 'sha256', 'not_before', 'not_after']).where('user_id', '=', userId),
    );
  }

  /** Makes `certificateDer` the user's current certificate, replacing any previous one. */
  async save(userId: string, certificateDer: Uint8Array, info: CertificateInfo): Promise<void> {
    checkKey('user id', userId);
    if (!(certificateDer instanceof Uint8Array) || certificateDer.length === 0) throw new MalformedInputError('certificate DER must be non-empty bytes');
    if (certificateDer.length > MAX_CERTIFICATE_DER_BYTES) throw new InputTooLargeError('certificate', MAX_CERTIFICATE_DER_BYTES);
    if (!SHA256_HEX.test(info.sha256)) throw new MalformedInputError('certificate sha256 must be 64 lower-case hex characters');
    for (const [name, date] of [['notBefore', info.notBefore], ['notAfter', info.notAfter]] as const) {
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new MalformedInputError(`certificate ${name} must be a valid Date`);
    }
    const now = new Date();
    const row = {
      der: certificateDer,
      sha256: info.sha256,
      not_before: info.notBefore,
      not_after: info.notAfter,
      updated_at: now,
    };
    // One statement, so two concurrent saves for one user cannot both insert: the later wins.
    await this.#db
      .insertInto('ecp_certificates')
      .values({ user_id: userId, created_at: now, ...row })
      .onConflict((conflict) => conflict.column('user_id').doUpdateSet(row))
      .execute();
  }

  async find(userId: string): Promise<StoredCertificate | undefined> {
    checkKey('user id', userId);
    const row = await this.#select.takeFirst(userId);
    if (row === undefined) return undefined;
    return {
      // A copy: pg hands back a Buffer that may be a view into a shared pool slab.
      der: new Uint8Array(row.der),
      sha256: row.sha256,
      notBefore: row.not_before,
      notAfter: row.not_after,
    };
  }

  /** Forgets the user's certificate; true when there was one. */
  async delete(userId: string): Promise<boolean> {
    checkKey('user id', userId);
    const result = await this.#db.deleteFrom('ecp_certificates').where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

import { EcpError } from '@ecp/core';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteKysely, migrateToLatest, PrecompiledQuery, type EcpTables } from '../src/storage/index.js';

describe('PrecompiledQuery', () => {
  let db: Kysely<EcpTables>;
  beforeAll(async () => {
    db = await createPgliteKysely(undefined);
    await migrateToLatest(db);
    const at = new Date('2030-01-01T00:00:00Z');
    await db
      .insertInto('ecp_nonces')
      .values([
        { id: 'a', nonce: 'a'.repeat(64), created_at: at, expires_at: at },
        { id: 'b', nonce: 'b'.repeat(64), created_at: at, expires_at: new Date(at.getTime() + 1000) },
      ])
      .execute();
  });
  afterAll(() => db.destroy());

  it("runs with each call's values in the parameter places their markers took, whatever the marker order", async () => {
    // Markers listed in the opposite order to where the builder places them in the SQL.
    const markers: [expiresAt: Date, id: string] = [new Date(0), '\u0000id'];
    const query = new PrecompiledQuery(db, 'test SELECT', markers, (expiresAt, id) =>
      db.selectFrom('ecp_nonces').select(['id', 'nonce']).where('id', '=', id).where('expires_at', '>', expiresAt),
    );
    const cutoff = new Date('2030-01-01T00:00:00.500Z');
    expect(await query.execute(cutoff, 'b')).toEqual([{ id: 'b', nonce: 'b'.repeat(64) }]);
    expect(await query.takeFirst(cutoff, 'a')).toBeUndefined();
    const built = await db.selectFrom('ecp_nonces').select(['id', 'nonce']).where('id', '=', 'b').where('expires_at', '>', cutoff).execute();
    expect(await query.execute(cutoff, 'b')).toEqual(built);
  });

  it('refuses a query that does not carry every marker as a parameter', async () => {
    const markers: [id: string, unused: string] = ['\u0000id', '\u0000unused'];
    const query = new PrecompiledQuery(db, 'test SELECT', markers, (id, _unused) => db.selectFrom('ecp_nonces').select('nonce').where('id', '=', id));
    await expect(query.execute('a', 'x')).rejects.toThrow(EcpError);
    await expect(query.execute('a', 'x')).rejects.toThrow('test SELECT does not carry its 2 values as parameters');
  });
});

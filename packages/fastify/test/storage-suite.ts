/**
 * The storage behaviour every backend must show, run by storage-postgres.test.ts and the
 * PGlite test files through the same code. (Cross-instance contention needs two independent
 * connections, so it lives in storage-postgres.test.ts only.)
 */
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { InputTooLargeError, MalformedInputError } from '@ecp/core';
import Fastify, { type Session } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CertificateStore,
  cleanupNonces,
  cleanupRateLimits,
  databaseRateLimitStore,
  isDatabaseUnavailable,
  KyselySessionStore,
  listMigrations,
  migrateToLatest,
  NonceStore,
  pruneSessions,
  runMigrations,
  type EcpTables,
  type NonceConsumeStrategy,
} from '../src/storage/index.js';
import { countQueries, seedNonces, type ScratchDatabase, type StorageBackend } from './storage-helpers.js';

declare module 'fastify' {
  interface Session {
    user?: string;
  }
}

const STRATEGIES: NonceConsumeStrategy[] = ['update-returning', 'select-for-update'];
const MINUTE = 60_000;

export function describeStorageSuite(backend: StorageBackend): void {
  describe(`storage on ${backend.name}`, () => {
    let scratch: ScratchDatabase;
    let db: Kysely<EcpTables>;

    beforeAll(async () => {
      scratch = await backend.createDatabase();
      db = await scratch.open();
      await migrateToLatest(db);
    });
    afterAll(async () => {
      await scratch?.drop();
    });

    describe('migrations', () => {
      it('create the four tables, their indexes, and apply nothing the second time', async () => {
        expect(listMigrations()).toEqual(['0001_ecp_initial', '0002_ecp_rate_limits']);
        expect(await runMigrations(db)).toEqual({ executed: [] });
        await migrateToLatest(db);

        const tables = (await db.introspection.getTables()).map((table) => table.name).sort();
        expect(tables).toEqual(expect.arrayContaining(['ecp_certificates', 'ecp_migration', 'ecp_nonces', 'ecp_rate_limits', 'ecp_sessions']));
        const { rows } = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename like 'ecp_%'`.execute(db);
        expect(rows.map((row) => row.indexname)).toEqual(
          expect.arrayContaining(['ecp_nonces_expires_at_idx', 'ecp_nonces_consumed_at_idx', 'ecp_sessions_expires_at_idx', 'ecp_rate_limits_resets_at_idx']),
        );
        const partial = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'ecp_nonces_consumed_at_idx'`.execute(db);
        expect(partial.rows[0]?.indexdef).toMatch(/WHERE \(consumed_at IS NOT NULL\)/);
      });

      it('apply once when two migrators start at the same moment on an empty database', async () => {
        const fresh = await backend.createDatabase();
        try {
          const [first, second] = [await fresh.open(), await fresh.open()];
          const reports = await Promise.all([runMigrations(first), runMigrations(second)]);
          expect(reports.flatMap((report) => report.executed)).toEqual(['0001_ecp_initial', '0002_ecp_rate_limits']);
          const { rows } = await sql<{ name: string }>`select name from ecp_migration order by name`.execute(first);
          expect(rows.map((row) => row.name)).toEqual(['0001_ecp_initial', '0002_ecp_rate_limits']);
          // Both handles see a working schema.
          await new NonceStore(second).issue();
        } finally {
          await fresh.drop();
        }
      });
    });

    describe('NonceStore', () => {
      it('issues an opaque random id and 32 random bytes as 64 lower-case hex characters', async () => {
        const store = new NonceStore(db);
        const before = Date.now();
        const issued = await Promise.all(Array.from({ length: 20 }, () => store.issue()));
        for (const { id, nonce, expiresAt } of issued) {
          expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect(nonce).toMatch(/^[0-9a-f]{64}$/);
          expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 5 * MINUTE);
          expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);
        }
        expect(new Set(issued.map((n) => n.id)).size).toBe(20);
        expect(new Set(issued.map((n) => n.nonce)).size).toBe(20);
        const first = issued[0]!;
        const row = await db.selectFrom('ecp_nonces').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ nonce: first.nonce, consumed_at: null });
        expect(row.expires_at.getTime()).toBe(first.expiresAt.getTime());
      });

      it('honours a configured lifetime and refuses a nonsensical one', async () => {
        const issued = await new NonceStore(db, { lifetimeMs: 30_000 }).issue();
        expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
        expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(25_000);
        for (const lifetimeMs of [0, -1, 1.5, Number.NaN]) expect(() => new NonceStore(db, { lifetimeMs })).toThrow(RangeError);
      });

      for (const consumeStrategy of STRATEGIES) {
        describe(`consume (${consumeStrategy})`, () => {
          let store: NonceStore;
          beforeEach(() => {
            store = new NonceStore(db, { consumeStrategy });
          });

          it('returns the nonce once, then not_found, and marks the row used', async () => {
            const { id, nonce } = await store.issue();
            expect(await store.consume(id)).toEqual({ status: 'ok', nonce });
            expect(await store.consume(id)).toEqual({ status: 'not_found' });
            const row = await db.selectFrom('ecp_nonces').select('consumed_at').where('id', '=', id).executeTakeFirstOrThrow();
            expect(row.consumed_at).toBeInstanceOf(Date);
          });

          it('reports an expired nonce as expired, marks it used, then not_found', async () => {
            const { id, nonce, expiresAt } = await store.issue();
            const other = await store.issue();
            // Usable up to the last millisecond, expired at the instant it expires.
            expect(await store.consume(other.id, new Date(other.expiresAt.getTime() - 1))).toEqual({ status: 'ok', nonce: other.nonce });
            expect(await store.consume(id, expiresAt)).toEqual({ status: 'expired' });
            expect(await store.consume(id, new Date(expiresAt.getTime() - MINUTE))).toEqual({ status: 'not_found' });
            const row = await db.selectFrom('ecp_nonces').select(['consumed_at', 'nonce']).where('id', '=', id).executeTakeFirstOrThrow();
            expect(row.consumed_at?.getTime()).toBe(expiresAt.getTime());
            expect(row.nonce).toBe(nonce);
          });

          it('answers not_found for an unknown id', async () => {
            expect(await store.consume(randomBytes(16).toString('base64url'))).toEqual({ status: 'not_found' });
          });

          it('answers not_found for a malformed id without querying the database', async () => {
            const counted = countQueries(db);
            const guarded = new NonceStore(counted.db, { consumeStrategy });
            const { id } = await store.issue();
            const garbage = ['', 'x', `${id}=`, id.slice(1), `${id}a`, "' or 1=1 --", 'a'.repeat(100_000), `${id.slice(0, 21)}+`, 42, null, undefined, { id }];
            for (const value of garbage) {
              expect(await guarded.consume(value as unknown as string)).toEqual({ status: 'not_found' });
            }
            expect(counted.count()).toBe(0);
            // The real id still works: nothing above touched it.
            expect((await guarded.consume(id)).status).toBe('ok');
            expect(counted.count()).toBeGreaterThan(0);
          });

          it('lets exactly one of 20 simultaneous consumes of one nonce through', async () => {
            const { id, nonce } = await store.issue();
            const results = await Promise.all(Array.from({ length: 20 }, () => store.consume(id)));
            expect(results.filter((r) => r.status === 'ok')).toEqual([{ status: 'ok', nonce }]);
            expect(results.filter((r) => r.status === 'not_found')).toHaveLength(19);
          });
        });
      }
    });

    describe('CertificateStore', () => {
      const certificate = (fill: number, size = 400) => {
        const der = new Uint8Array(size).fill(fill);
        return { der, sha256: createHash('sha256').update(der).digest('hex') };
      };
      const notBefore = new Date('2025-01-01T00:00:00.000Z');
      const notAfter = new Date('2026-01-01T00:00:00.000Z');

      it('saves, finds, and replaces the one certificate of a user', async () => {
        const store = new CertificateStore(db);
        expect(await store.find('alice')).toBeUndefined();

        const first = certificate(1);
        await store.save('alice', first.der, { sha256: first.sha256, notBefore, notAfter });
        const found = await store.find('alice');
        expect(found).toEqual({ der: first.der, sha256: first.sha256, notBefore, notAfter });
        expect(Object.getPrototypeOf(found!.der)).toBe(Uint8Array.prototype);

        const second = certificate(2, 500);
        const later = new Date('2027-01-01T00:00:00.000Z');
        await store.save('alice', second.der, { sha256: second.sha256, notBefore: notAfter, notAfter: later });
        expect(await store.find('alice')).toEqual({ der: second.der, sha256: second.sha256, notBefore: notAfter, notAfter: later });
        const rows = await db.selectFrom('ecp_certificates').select(['created_at', 'updated_at']).where('user_id', '=', 'alice').execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]!.updated_at.getTime()).toBeGreaterThanOrEqual(rows[0]!.created_at.getTime());

        // Another user's certificate is separate.
        expect(await store.find('bob')).toBeUndefined();
        expect(await store.delete('alice')).toBe(true);
        expect(await store.delete('alice')).toBe(false);
        expect(await store.find('alice')).toBeUndefined();
      });

      it('refuses oversized or malformed input before it reaches the database', async () => {
        const counted = countQueries(db);
        const store = new CertificateStore(counted.db);
        const ok = certificate(3);
        const info = { sha256: ok.sha256, notBefore, notAfter };
        await expect(store.save('carol', new Uint8Array(10_001), info)).rejects.toBeInstanceOf(InputTooLargeError);
        await expect(store.save('carol', new Uint8Array(0), info)).rejects.toBeInstanceOf(MalformedInputError);
        await expect(store.save('', ok.der, info)).rejects.toBeInstanceOf(MalformedInputError);
        await expect(store.save('u'.repeat(256), ok.der, info)).rejects.toBeInstanceOf(InputTooLargeError);
        await expect(store.save('carol', ok.der, { ...info, sha256: ok.sha256.toUpperCase() })).rejects.toBeInstanceOf(MalformedInputError);
        await expect(store.save('carol', ok.der, { ...info, notAfter: new Date(Number.NaN) })).rejects.toBeInstanceOf(MalformedInputError);
        await expect(store.find('u'.repeat(256))).rejects.toBeInstanceOf(InputTooLargeError);
        expect(counted.count()).toBe(0);
      });
    });

    describe('KyselySessionStore', () => {
      const asSession = (data: Record<string, unknown>) => data as unknown as Session;

      it('sets, gets and destroys sessions through @fastify/session-style callbacks', async () => {
        const store = new KyselySessionStore(db);
        const set = promisify(store.set.bind(store));
        const get = promisify(store.get.bind(store));
        const destroy = promisify(store.destroy.bind(store));

        expect(await get('no-such-session')).toBeNull();
        const session = asSession({ user: 'alice', cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000) } });
        await set('sid-1', session);
        expect(await get('sid-1')).toEqual(JSON.parse(JSON.stringify(session)));
        await set('sid-1', asSession({ ...session, user: 'alice2' }));
        expect(await get('sid-1')).toMatchObject({ user: 'alice2' });
        await destroy('sid-1');
        expect(await get('sid-1')).toBeNull();
        await destroy('sid-1'); // destroying twice is fine
      });

      it('expires a row with the cookie: expires, else maxAge, else the default lifetime', async () => {
        const store = new KyselySessionStore(db, { defaultTtlMs: 10 * MINUTE });
        const now = new Date('2030-06-01T12:00:00.000Z');
        const expires = new Date('2030-06-01T13:00:00.000Z');
        await store.setSession('by-expires', asSession({ cookie: { expires: expires.toISOString(), originalMaxAge: 1 } }), now);
        await store.setSession('by-max-age', asSession({ cookie: { originalMaxAge: 2 * MINUTE, expires: null } }), now);
        await store.setSession('by-default', asSession({ cookie: { originalMaxAge: null, expires: null } }), now);
        const rows = await db.selectFrom('ecp_sessions').select(['sid', 'expires_at']).where('sid', 'like', 'by-%').orderBy('sid').execute();
        expect(rows.map((row) => [row.sid, row.expires_at.toISOString()])).toEqual([
          ['by-default', '2030-06-01T12:10:00.000Z'],
          ['by-expires', '2030-06-01T13:00:00.000Z'],
          ['by-max-age', '2030-06-01T12:02:00.000Z'],
        ]);
        expect(await store.getSession('by-max-age', new Date('2030-06-01T12:01:59.999Z'))).not.toBeNull();
        expect(await store.getSession('by-max-age', new Date('2030-06-01T12:02:00.000Z'))).toBeNull();

        expect(await pruneSessions(db, { now: new Date('2030-06-01T12:30:00.000Z') })).toBe(2);
        expect(await store.getSession('by-expires', now)).not.toBeNull();
        expect(await pruneSessions(db, { now: new Date('2030-06-01T12:30:00.000Z') })).toBe(0);
      });

      it('ignores malformed session ids and refuses oversized sessions', async () => {
        const counted = countQueries(db);
        const store = new KyselySessionStore(counted.db);
        expect(await store.getSession('')).toBeNull();
        expect(await store.getSession('s'.repeat(256))).toBeNull();
        await store.destroySession('s'.repeat(256));
        await expect(store.setSession('big', asSession({ blob: 'x'.repeat(70_000), cookie: {} }))).rejects.toBeInstanceOf(InputTooLargeError);
        await expect(store.setSession('', asSession({ cookie: {} }))).rejects.toBeInstanceOf(MalformedInputError);
        expect(counted.count()).toBe(0);
      });

      it('keeps a @fastify/session session across requests', async () => {
        const app = Fastify();
        try {
          await app.register(fastifyCookie);
          await app.register(fastifySession, {
            secret: 'a-test-secret-that-is-at-least-32-characters-long',
            store: new KyselySessionStore(db),
            cookie: { secure: false, maxAge: 15 * MINUTE },
            saveUninitialized: false,
          });
          app.post('/login', async (request) => {
            request.session.set('user', 'dora');
            return { ok: true };
          });
          app.get('/me', async (request) => ({ user: request.session.get('user') ?? null }));
          app.post('/logout', async (request) => {
            await request.session.destroy();
            return { ok: true };
          });

          const login = await app.inject({ method: 'POST', url: '/login' });
          const cookie = login.cookies.find((c) => c.name === 'sessionId');
          expect(cookie).toBeDefined();
          const sid = decodeURIComponent(cookie!.value).split('.')[0]!;
          const row = await db.selectFrom('ecp_sessions').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow();
          expect(row.data).toMatchObject({ user: 'dora' });
          expect(Math.abs(row.expires_at.getTime() - (Date.now() + 15 * MINUTE))).toBeLessThan(30_000);

          const headers = { cookie: `sessionId=${cookie!.value}` };
          expect((await app.inject({ method: 'GET', url: '/me', headers })).json()).toEqual({ user: 'dora' });
          await app.inject({ method: 'POST', url: '/logout', headers });
          expect((await app.inject({ method: 'GET', url: '/me', headers })).json()).toEqual({ user: null });
          expect(await db.selectFrom('ecp_sessions').select('sid').where('sid', '=', sid).executeTakeFirst()).toBeUndefined();
        } finally {
          await app.close();
        }
      });
    });

    describe('database rate-limit store', () => {
      /** The store as @fastify/rate-limit calls it (its declared type omits the window and max). */
      interface CountingStore {
        incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
        child(routeOptions: unknown): CountingStore;
      }
      const hit = (store: CountingStore, key: string, windowMs: number) =>
        new Promise<{ current: number; ttl: number }>((resolve, reject) =>
          store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, 10),
        );
      const storeOn = (handle: Kysely<EcpTables>) => new (databaseRateLimitStore(handle))({}) as unknown as CountingStore;

      it('counts every hit of a key exactly once, also from two handles at once', async () => {
        const [a, b] = [storeOn(db), storeOn(await scratch.open())];
        const key = `10.0.0.${randomBytes(1)[0]}-${randomBytes(4).toString('hex')}`;
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => hit(i % 2 ? a : b, key, 60_000)));
        expect(results.map((r) => r.current).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        for (const { ttl } of results) {
          expect(ttl).toBeGreaterThan(50_000);
          expect(ttl).toBeLessThanOrEqual(60_000);
        }
        expect((await hit(a, `other-${key}`, 60_000)).current).toBe(1);
      });

      it('starts a new window once the old one has ended, and keeps routes apart', async () => {
        const store = storeOn(db);
        const key = `window-${randomBytes(4).toString('hex')}`;
        // A 1.5 s window: the two hits inside it must land before it ends even on a loaded machine.
        expect((await hit(store, key, 1_500)).current).toBe(1);
        expect((await hit(store, key, 1_500)).current).toBe(2);
        const route = store.child({ routeInfo: { method: 'GET', url: '/other' } });
        expect((await hit(route, key, 1_500)).current).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 1_600));
        const fresh = await hit(store, key, 1_500);
        expect(fresh.current).toBe(1);
        expect(fresh.ttl).toBeGreaterThan(1_000);
        expect(fresh.ttl).toBeLessThanOrEqual(1_500);
      });

      it('refuses the options that would move its fixed windows', () => {
        const Store = databaseRateLimitStore(db);
        expect(() => new Store({ continueExceeding: true } as never)).toThrow(/fixed windows/);
        expect(() => new Store({}).child({ exponentialBackoff: true } as never)).toThrow(/fixed windows/);
      });

      it('refuses an over-long key without touching the table, and reports database errors through the callback', async () => {
        await expect(hit(storeOn(db), 'k'.repeat(513), 1000)).rejects.toThrow(RangeError);
        const closed = await backend.createDatabase();
        const handle = await closed.open();
        const store = storeOn(handle);
        await closed.drop();
        await expect(hit(store, 'key', 1000)).rejects.toBeInstanceOf(Error);
      });

      it('cleanupRateLimits deletes ended windows only', async () => {
        await db.deleteFrom('ecp_rate_limits').execute();
        const now = Date.now();
        await db
          .insertInto('ecp_rate_limits')
          .values([
            ...Array.from({ length: 5 }, (_, i) => ({ key: `ended-${i}`, hits: 3, resets_at: new Date(now - 1_000) })),
            ...Array.from({ length: 2 }, (_, i) => ({ key: `live-${i}`, hits: 1, resets_at: new Date(now + 60_000) })),
          ])
          .execute();
        expect(await cleanupRateLimits(db, { batchSize: 2 })).toBe(5);
        const left = await db.selectFrom('ecp_rate_limits').select('key').execute();
        expect(left.map((row) => row.key).sort()).toEqual(['live-0', 'live-1']);
      });
    });

    describe('cleanupNonces', () => {
      beforeEach(async () => {
        await db.deleteFrom('ecp_nonces').execute();
      });

      it('deletes used and expired nonces in batches and leaves live ones alone', async () => {
        const now = new Date();
        const expired = await seedNonces(db, 2_500, { expiresAt: new Date(now.getTime() - MINUTE) });
        const used = await seedNonces(db, 700, { expiresAt: new Date(now.getTime() + MINUTE), consumedAt: new Date(now.getTime() - 1_000) });
        const usedAndExpired = await seedNonces(db, 50, { expiresAt: new Date(now.getTime() - 1), consumedAt: new Date(now.getTime() - MINUTE) });
        const live = await seedNonces(db, 300, { expiresAt: new Date(now.getTime() + MINUTE) });

        const counted = countQueries(db);
        expect(await cleanupNonces(counted.db, { now, batchSize: 1_000 })).toBe(expired.length + used.length + usedAndExpired.length);
        // Expired pass: 1000 + 1000 + 550 (short: done); used pass: 700 (short: done).
        expect(counted.count()).toBe(4);

        const left = await db.selectFrom('ecp_nonces').select('id').execute();
        expect(left.map((row) => row.id).sort()).toEqual([...live].sort());
        expect(await cleanupNonces(db, { now })).toBe(0);
        const store = new NonceStore(db);
        expect((await store.consume(live[0]!)).status).toBe('ok');
      });

      it('keeps nonces that expired or were used within the retention window', async () => {
        const now = new Date();
        await seedNonces(db, 3, { expiresAt: new Date(now.getTime() - 10_000) });
        await seedNonces(db, 2, { expiresAt: new Date(now.getTime() + MINUTE), consumedAt: new Date(now.getTime() - 10_000) });
        expect(await cleanupNonces(db, { now, retainMs: 60_000 })).toBe(0);
        expect(await cleanupNonces(db, { now, retainMs: 5_000, batchSize: 1 })).toBe(5);
        expect(await db.selectFrom('ecp_nonces').select('id').execute()).toEqual([]);
      });

      it('refuses a nonsensical batch size or retention', async () => {
        for (const batchSize of [0, -1, 1.5, 100_001]) await expect(cleanupNonces(db, { batchSize })).rejects.toThrow(RangeError);
        await expect(cleanupNonces(db, { retainMs: -1 })).rejects.toThrow(RangeError);
      });
    });

    it('reports a closed database as unavailable, through promises and session-store callbacks', async () => {
      const fresh = await backend.createDatabase();
      const closed = await fresh.open();
      await migrateToLatest(closed);
      await fresh.drop();
      const error = await new NonceStore(closed).issue().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(isDatabaseUnavailable(error)).toBe(true);
      const sessions = new KyselySessionStore(closed);
      await expect(promisify(sessions.get.bind(sessions))('sid')).rejects.toSatisfy(isDatabaseUnavailable);
    });
  });
}

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateStore, createPgliteKysely, migrateToLatest, NonceStore, runMigrations } from '../src/storage/index.js';
import { describeStorageSuite } from './storage-suite.js';
import { pgliteBackend } from './storage-helpers.js';

describeStorageSuite(pgliteBackend('directory'));

describe('PGlite in a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecp-pglite-reopen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data and migration history across a close and reopen', async () => {
    const first = await createPgliteKysely(dir);
    let issued;
    try {
      await migrateToLatest(first);
      issued = await new NonceStore(first).issue();
      await new CertificateStore(first).save('erin', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), {
        sha256: 'ab'.repeat(32),
        notBefore: new Date('2025-01-01T00:00:00Z'),
        notAfter: new Date('2026-01-01T00:00:00Z'),
      });
    } finally {
      await first.destroy();
    }

    const second = await createPgliteKysely(dir);
    try {
      expect(await runMigrations(second)).toEqual({ executed: [] });
      expect(await new NonceStore(second).consume(issued.id)).toEqual({ status: 'ok', nonce: issued.nonce });
      expect((await new CertificateStore(second).find('erin'))?.der).toEqual(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]));
    } finally {
      await second.destroy();
    }
  });
});

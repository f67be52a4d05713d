/**
 * The size budget of @ecp/browser, measured by scripts/bundle-size.mjs: the main bundle
 * (entry chunk + its static imports) at most 12 288 bytes min+gz, the @noble fallbacks in
 * lazy chunks, and no `node:` import anywhere.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Chunk {
  file: string;
  minified: number;
  gzip: number;
}
interface Report {
  budget: number;
  main: { gzip: number; minified: number; chunks: Chunk[] };
  lazy: Chunk[];
  nodeImports: string[];
}

const script = fileURLToPath(new URL('../scripts/bundle-size.mjs', import.meta.url));

describe('bundle size', () => {
  const run = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(run.stdout) as Report;

  it('measures a real bundle with the @noble fallbacks split into lazy chunks', () => {
    expect(report.main.minified).toBeGreaterThan(10_000);
    const lazy = report.lazy.map((c) => c.file).join(' ');
    expect(lazy).toMatch(/noble-sha224/);
    expect(lazy).toMatch(/noble-aes-cbc/);
    expect(report.main.chunks.map((c) => c.file).join(' ')).not.toMatch(/noble/);
  });

  it('contains no node: import', () => {
    expect(report.nodeImports).toEqual([]);
  });

  it('keeps the main bundle within 12 288 bytes min+gz (the script exits 1 otherwise)', () => {
    expect(report.budget).toBe(12_288);
    expect(report.main.gzip).toBeLessThanOrEqual(12_288);
    expect(run.status).toBe(0);
  });
});

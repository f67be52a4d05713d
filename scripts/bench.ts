/**
 * `pnpm bench`: runs every `packages/<pkg>/bench/*.bench.ts` and `examples/<app>/bench/*.bench.ts`
 * suite, prints the figures and writes them into BENCHMARKS.md between the result markers.
 * Arguments filter suites by name: `pnpm bench core`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchContext, BenchReport, BenchSuite } from './bench/harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function suiteFiles(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'examples']) {
    for (const pkg of readdirSync(join(root, group))) {
      const dir = join(root, group, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
    }
  }
  return files;
}

let cluster: { url: string; stop(): Promise<void> } | undefined;
const context: BenchContext = {
  async postgresDatabase() {
    const { startPostgresCluster, createTestDatabase } = await import('@ecp/testkit');
    cluster ??= await startPostgresCluster();
    return (await createTestDatabase(cluster.url, 'bench')).url;
  },
};

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

async function main(): Promise<void> {
  const report: BenchReport = { comparisons: [], figures: [] };
  for (const file of suiteFiles()) {
    const suite = ((await import(pathToFileURL(file).href)) as { default: BenchSuite }).default;
    if (filters.length && !filters.some((f) => suite.name.includes(f) || file.includes(f))) continue;
    console.log(`\n# ${suite.name} (${relative(root, file)})`);
    const before = { c: report.comparisons.length, f: report.figures.length };
    await suite.run(report, context);
    for (const c of report.comparisons.slice(before.c)) {
      const verdict = c.target === undefined ? '' : c.ratio >= c.target ? ` (target ≥ ${c.target}: met)` : ` (target ≥ ${c.target}: MISSED)`;
      console.log(`${c.name}: ${c.subject.label} ${fmt(c.subject.opsPerSec)}/s vs ${c.baseline.label} ${fmt(c.baseline.opsPerSec)}/s = ${c.ratio.toFixed(2)}×${verdict}`);
    }
    for (const f of report.figures.slice(before.f)) console.log(`${f.name}: ${fmt(f.value)} ${f.unit}`);
  }
  await cluster?.stop();
  if (filters.length === 0) writeBenchmarksMd(report);
}

function machine(): string {
  const openssl = (() => {
    try {
      return execFileSync('openssl', ['version']).toString().trim();
    } catch {
      return 'openssl: not found';
    }
  })();
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${openssl}, ${new Date().toISOString().slice(0, 10)}`;
}

function writeBenchmarksMd(report: BenchReport): void {
  const file = join(root, 'BENCHMARKS.md');
  const rows = report.comparisons.map(
    (c) =>
      `| ${c.name} | ${c.subject.label}: ${fmt(c.subject.opsPerSec)}/s | ${c.baseline.label}: ${fmt(c.baseline.opsPerSec)}/s | **${c.ratio.toFixed(2)}×** | ${c.target === undefined ? '' : `≥ ${c.target} ${c.ratio >= c.target ? '✓' : '✗'}`} | ${c.note ?? ''} |`,
  );
  const figures = report.figures.map((f) => `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.note ?? ''} |`);
  const section = [
    '<!-- results:start -->',
    `Measured by \`pnpm bench\` on ${machine()}.`,
    '',
    '| comparison | ours | baseline | ratio | target | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '| figure | value | note |',
    '| --- | --- | --- |',
    ...figures,
    '<!-- results:end -->',
  ].join('\n');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n<!-- results:start -->\n<!-- results:end -->\n';
  const next = current.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, section);
  writeFileSync(file, next);
  console.log(`\nwrote ${relative(root, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

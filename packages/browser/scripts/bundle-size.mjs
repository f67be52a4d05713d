#!/usr/bin/env node
/**
 * The size budget of @ecp/browser: bundles src/index.ts the way an application would (ESM,
 * minified, platform browser, workspace packages from their TypeScript sources through the
 * `source` condition, code splitting so that lazy import()s become their own chunks),
 * gzips every chunk at level 9 and prints the bytes of the main bundle (the entry chunk plus
 * every chunk it imports statically) and of each lazily loaded chunk.
 *
 * Exit status 1 when the main bundle is over 12 288 bytes min+gz, or when any chunk refers
 * to a `node:` module. `--json` prints the figures as one JSON object instead of a table.
 */
import { build } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

export const MAIN_BUDGET = 12_288;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-size');

const result = await build({
  entryPoints: [join(root, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  splitting: true,
  conditions: ['source'],
  outdir,
  absWorkingDir: root,
  write: false,
  metafile: true,
  logLevel: 'silent',
});

const gzipSize = (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
// Output paths: absolute in outputFiles, relative to absWorkingDir in the metafile.
const name = (path) => relative(outdir, resolve(root, path));
const files = new Map(result.outputFiles.map((f) => [name(f.path), f.contents]));
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs).map(([path, meta]) => [name(path), meta]));

// The main bundle: the entry chunk and, transitively, what it imports statically.
// (Every import() target is an entry point too: pick the one built from src/index.ts.)
const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint && resolve(root, outputs[path].entryPoint) === join(root, 'src/index.ts'));
const main = new Set();
const visit = (path) => {
  if (main.has(path)) return;
  main.add(path);
  for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(name(imported.path));
};
visit(entry);

const chunks = [...files.keys()]
  .filter((path) => path.endsWith('.js'))
  .map((path) => ({ file: path, minified: files.get(path).length, gzip: gzipSize(files.get(path)), main: main.has(path) }));
const mainGzip = chunks.filter((c) => c.main).reduce((sum, c) => sum + c.gzip, 0);
const nodeImports = Object.values(outputs).flatMap((meta) => meta.imports.filter((i) => i.path.startsWith('node:')).map((i) => i.path));
const textNodeImports = chunks.filter((c) => /\bfrom\s*["']node:|import\(\s*["']node:/.test(new TextDecoder().decode(files.get(c.file))));

const report = {
  budget: MAIN_BUDGET,
  main: { gzip: mainGzip, minified: chunks.filter((c) => c.main).reduce((sum, c) => sum + c.minified, 0), chunks: chunks.filter((c) => c.main) },
  lazy: chunks.filter((c) => !c.main),
  nodeImports: [...new Set([...nodeImports, ...textNodeImports.map((c) => c.file)])],
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report));
} else {
  console.log(`main bundle: ${report.main.gzip} bytes min+gz (${report.main.minified} min), budget ${MAIN_BUDGET}`);
  for (const c of report.main.chunks) console.log(`  main  ${c.file}: ${c.gzip} gz / ${c.minified} min`);
  for (const c of report.lazy) console.log(`  lazy  ${c.file}: ${c.gzip} gz / ${c.minified} min`);
  if (report.nodeImports.length) console.log(`node: imports found: ${report.nodeImports.join(', ')}`);
}
if (report.main.gzip > MAIN_BUDGET || report.nodeImports.length > 0) process.exitCode = 1;

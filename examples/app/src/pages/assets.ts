/**
 * The pages' JavaScript: each page's script and @ecp/browser bundled by esbuild when the app
 * starts, kept in memory. No build step for the user, and the browser gets the same ESM the
 * SDK's bundle-size budget measures (the SDK in one shared chunk, the @noble fallbacks in
 * their own lazy chunks).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The one entry script (/assets/app.js); it loads each page's code as a lazy chunk. */
const ENTRY = 'app';
const STYLESHEET = 'app.css';

async function buildAssets(): Promise<ReadonlyMap<string, Asset>> {
  const result = await build({
    entryPoints: [here(`./client/${ENTRY}.ts`)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // The workspace packages resolve to their TypeScript sources, as everywhere in the repo.
    conditions: ['source'],
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[name]-[hash]',
    write: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    assets.set(basename(file.path), { body: Buffer.from(file.contents), contentType: 'text/javascript; charset=utf-8' });
  }
  assets.set(STYLESHEET, { body: await readFile(here(`./static/${STYLESHEET}`)), contentType: 'text/css; charset=utf-8' });
  return assets;
}

let cached: Promise<ReadonlyMap<string, Asset>> | undefined;

/** The assets by file name, built once per process (every app instance shares them). */
export function pageAssets(): Promise<ReadonlyMap<string, Asset>> {
  cached ??= buildAssets().catch((error: unknown) => {
    cached = undefined; // let a later call try again rather than cache the failure
    throw error;
  });
  return cached;
}

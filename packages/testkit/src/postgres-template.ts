import { execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * initdb takes 0.7–1.6 s here (bootstrap and post-bootstrap in single-user mode), while
 * copying the 40 MB directory it produces takes ~0.1 s. So the first cluster's fresh,
 * never-started data directory is kept as a template and later clusters copy it.
 *
 * The cache lives in this package's node_modules/.cache (owned by whoever installed the
 * workspace, git-ignored) rather than a predictable world-writable /tmp path, where another
 * user could plant a data directory (postgresql.auto.conf runs commands). The key covers the
 * server binary and the initdb arguments, so an upgraded PostgreSQL gets a new template.
 */
const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/ecp-testkit/', import.meta.url));

export function templateKey(bin: string, initdbArgs: readonly string[], uid: number): string {
  const server = statSync(join(bin, 'postgres'));
  const material = JSON.stringify([bin, server.size, server.mtimeMs, initdbArgs, uid]);
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/** Copies the cached template into `dataDir`; false when there is none (or it cannot be copied). */
export async function copyTemplate(key: string, dataDir: string): Promise<boolean> {
  const template = join(CACHE_DIR, `pg-data-${key}`);
  if (!existsSync(template)) return false;
  try {
    await copyTree(template, dataDir);
    return true;
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    return false;
  }
}

/**
 * Best effort: stores a fresh data directory as the template. Copies into a private staging
 * name and renames, so a concurrent reader never sees a half-written template.
 */
export async function saveTemplate(key: string, dataDir: string): Promise<void> {
  const template = join(CACHE_DIR, `pg-data-${key}`);
  if (existsSync(template)) return;
  const staging = join(CACHE_DIR, `staging-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
    await copyTree(dataDir, staging);
    renameSync(staging, template);
  } catch {
    // Another process won the race, or the cache is not writable: initdb keeps working.
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// `cp -a` keeps owner and 0700 modes (PostgreSQL refuses a data dir with looser modes, and
// as root the files must stay owned by the postgres user); fs.cp preserves neither.
function copyTree(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('cp', ['-a', '--', from, to], { timeout: 60_000 }, (error) => (error === null ? resolve() : reject(error)));
  });
}

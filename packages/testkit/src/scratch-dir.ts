import { mkdtempSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHM = '/dev/shm';
const MIN_FREE_BYTES = 1024 ** 3;

/**
 * A fresh private (0700) directory for a throwaway service. On tmpfs when /dev/shm has
 * room: measured here, initdb takes 0.5 s there against 1.4 s on the ext4 /tmp, and copying
 * a data directory 0.07 s against 0.8 s. Docker's default 64 MB /dev/shm is too small for
 * a cluster, hence the free-space check and the fall-back to the OS temp dir.
 */
export function makeScratchDir(prefix: string): string {
  return mkdtempSync(join(scratchBase(), prefix));
}

function scratchBase(): string {
  try {
    const fs = statfsSync(SHM);
    if (fs.bavail * fs.bsize >= MIN_FREE_BYTES) return SHM;
  } catch {
    // no /dev/shm (or not readable): use the OS temp dir
  }
  return tmpdir();
}

import { readdirSync, readFileSync } from 'node:fs';
import { isPortOpen } from '../src/net.js';
import { sleep } from '../src/time.js';

/** Pids of live processes whose command line mentions `needle` (e.g. a temp dir). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

export async function portClosed(port: number): Promise<boolean> {
  return !(await isPortOpen(port));
}

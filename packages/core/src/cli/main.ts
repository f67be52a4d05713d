/**
 * Entry point of the `ecp` command (bin/ecp.js imports the compiled form; `pnpm ecp` runs
 * this file through tsx).
 */
import { readFileSync } from 'node:fs';
import { processIo } from './process-io.js';
import { runCli } from './run.js';

function packageVersion(): string | undefined {
  try {
    // Two levels up from both src/cli/main.ts and dist/cli/main.js.
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

// `pnpm ecp ...` runs this in the repository root whatever directory it was typed in; file
// names on the command line are the user's, relative to where they typed it (pnpm's INIT_CWD).
const typedIn = process.env.INIT_CWD;
if (process.env.npm_lifecycle_event === 'ecp' && typedIn && typedIn !== process.cwd()) process.chdir(typedIn);

// A closed pipe (`ecp inspect f | head -1`) is the reader's choice, not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo(), {
  debug: process.env.ECP_DEBUG === '1',
  version: packageVersion(),
});

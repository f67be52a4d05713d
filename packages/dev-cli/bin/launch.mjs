// Runs a CLI entry from TypeScript sources in a child node with the `source` export
// condition and tsx's loader. Why a bin and not a root package.json script: pnpm prints
// "> ecp-monorepo@ ecp …" headers on stdout before a script (and ELIFECYCLE lines after a
// failing one), which would corrupt `SIG=$(pnpm ecp sign …)`; a bin runs silently, so
// `pnpm ecp` prints exactly what the installed `ecp` prints.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function launch(entry) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', import.meta.resolve('tsx'), join(repo, entry), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

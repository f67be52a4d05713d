import { spawn } from 'node:child_process';

/**
 * Makes sure a service we started dies with us, however we die.
 *
 * A normal exit (or `process.exit`) runs the 'exit' hook, which signals the service.
 * A SIGKILL'd or crashed test runner runs no hooks at all, so a small detached shell
 * watches our pid and, once it is gone, stops the service and removes its directory.
 * Before signalling, the watchdog checks that the pid still belongs to our service (its
 * command line names our temp dir), so a recycled pid is never hit.
 *
 * Returns `release()`, to call after a clean stop: it drops the hook and ends the watchdog.
 */
export function guardAgainstOrphans(service: { pid: number; signal: NodeJS.Signals; dir: string }): () => void {
  const onExit = (): void => {
    try {
      process.kill(service.pid, service.signal);
    } catch {
      // already gone: nothing to do
    }
  };
  process.on('exit', onExit);

  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'ecp-testkit-watchdog', String(process.pid), String(service.pid), service.signal.replace(/^SIG/, ''), service.dir], {
    detached: true, // own session: a Ctrl-C aimed at the test runner must not take the watchdog with it
    stdio: 'ignore',
  });
  watchdog.unref();

  let released = false;
  return () => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    if (watchdog.pid !== undefined && watchdog.exitCode === null) {
      try {
        process.kill(watchdog.pid, 'SIGKILL');
      } catch {
        // it had already finished
      }
    }
  };
}

// $1 parent pid, $2 service pid, $3 signal name, $4 the service's temp dir.
const WATCHDOG_SCRIPT = `
parent=$1 child=$2 sig=$3 dir=$4
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
if [ -r "/proc/$child/cmdline" ] && tr '\\0' ' ' < "/proc/$child/cmdline" | grep -qF -- "$dir"; then
  kill -s "$sig" "$child" 2>/dev/null
  i=0
  while kill -0 "$child" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -s KILL "$child" 2>/dev/null
fi
rm -rf -- "$dir"
`;

import type { ChildProcess } from 'node:child_process';

/** Tracks a spawned service process: whether it has ended, and a promise for when it does. */
export interface ChildExit {
  readonly ended: boolean;
  /** Exit code, signal name or spawn error, for messages. */
  readonly reason: string;
  readonly promise: Promise<void>;
}

export function trackExit(child: ChildProcess): ChildExit {
  let ended = false;
  let reason = 'running';
  const promise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      reason = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
      resolve();
    });
    // A spawn failure (missing binary, bad uid) emits 'error' and possibly no 'exit'.
    child.once('error', (error) => {
      ended = true;
      reason = error.message;
      resolve();
    });
  });
  return {
    get ended() {
      return ended;
    },
    get reason() {
      return reason;
    },
    promise,
  };
}

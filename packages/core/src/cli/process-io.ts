/**
 * The {@link CliIo} of a real process: its stdout, stderr and environment, and a passphrase
 * prompt on stdin when stdin is a terminal (written to stderr, so that stdout can be piped).
 */
import type { CliIo } from './io.js';
import { resolvePassphrase } from './passphrase.js';
import type { Terminal } from './prompt.js';

function processTerminal(): Terminal | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return undefined;
  return { input: stdin, output: process.stderr };
}

export function processIo(): CliIo {
  const env = process.env;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    readPassphrase: (request) => resolvePassphrase(request, { env, terminal: processTerminal() }),
  };
}

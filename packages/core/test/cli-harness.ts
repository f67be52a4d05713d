/**
 * Runs the `ecp` CLI as a user does: a child process (`node --conditions=source --import tsx
 * .../cli/main.ts`) in a directory of its own, stdin a pipe (so: no terminal), and only the
 * environment a test gives it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CLI_MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
/** tsx's loader by absolute URL: `--import tsx` would be resolved from the temp directory. */
export const TSX_LOADER = pathToFileURL(realpathSync(createRequire(import.meta.url).resolve('tsx'))).href;
export const NODE_ARGS = ['--conditions=source', '--import', TSX_LOADER, CLI_MAIN];

export interface EcpResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface EcpOptions {
  readonly cwd: string;
  /** Added to a minimal environment (PATH only): nothing leaks in from the test runner. */
  readonly env?: Record<string, string>;
  readonly input?: string;
  readonly timeoutMs?: number;
}

export function runEcp(args: readonly string[], options: EcpOptions): Promise<EcpResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        status: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {
      // the CLI may exit without reading stdin
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh directory for one test file, removed by the returned function. */
export function scratchDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `ecp-${prefix}-`)));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What every failure for bad input must look like: one `ecp: ` message, no stack trace. */
export function expectCleanFailure(result: EcpResult): void {
  if (!result.stderr.startsWith('ecp: ')) throw new Error(`stderr does not start with "ecp: ":\n${result.stderr}`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(result.stderr) || result.stderr.includes('internal error')) {
    throw new Error(`stderr shows a stack trace or an internal error:\n${result.stderr}`);
  }
}

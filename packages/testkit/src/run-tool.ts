import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { TestkitError } from './errors.js';

export interface ToolOptions {
  /** Bytes for the tool's stdin (a key, a CSR, a passphrase line...). */
  input?: string | Buffer;
  cwd?: string;
  /** Replaces the environment entirely when given (merge `process.env` yourself if needed). */
  env?: NodeJS.ProcessEnv;
  /** Kill the tool after this long (default 30 s): a hung tool must not hang the suite. */
  timeoutMs?: number;
}

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
  /** The exit status; for a tool killed by a signal, 128 + the signal number, as shells report it. */
  status: number;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Runs a program to completion and reports what happened. A non-zero exit is a result,
 * not an exception, because tests assert on it; only "could not run at all" throws.
 */
export function runTool(program: string, args: readonly string[], options: ToolOptions = {}): ToolResult {
  const result = spawnSync(program, args, {
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    timeout: options.timeoutMs ?? 30_000,
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new TestkitError(`${program} is not installed (apt-get install ${program})`, 'TESTKIT_MISSING_PROGRAM', { cause: result.error });
  }
  if (result.error !== undefined && result.signal === null) {
    throw new TestkitError(`could not run ${program}: ${result.error.message}`, 'TESTKIT_COMMAND_FAILED', { cause: result.error });
  }
  const status = result.status ?? 128 + (result.signal !== null ? constants.signals[result.signal] : 0);
  return { stdout: result.stdout, stderr: result.stderr.toString('utf8'), status };
}

/** Like {@link runTool}, but a non-zero exit throws with the tool's stderr. */
export function runToolOk(program: string, args: readonly string[], options: ToolOptions = {}): ToolResult {
  return assertOk(program, args, runTool(program, args, options));
}

function assertOk(program: string, args: readonly string[], result: ToolResult): ToolResult {
  if (result.status !== 0) {
    throw new TestkitError(
      `${program} ${args.join(' ')} exited with status ${result.status}:\n${result.stderr.trim()}`,
      'TESTKIT_COMMAND_FAILED',
    );
  }
  return result;
}

/**
 * {@link runTool} without blocking the event loop. Needed whenever the tool talks to a
 * server living in this same process (a Fastify app under test): `spawnSync` would freeze
 * that server and the tool would wait for it until the timeout.
 */
export function runToolAsync(program: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) child.kill('SIGKILL');
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new TestkitError(`${program} is not installed (apt-get install ${program})`, 'TESTKIT_MISSING_PROGRAM', { cause: error })
          : new TestkitError(`could not run ${program}: ${error.message}`, 'TESTKIT_COMMAND_FAILED', { cause: error }),
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const status = code ?? 128 + (signal !== null ? constants.signals[signal] : 0);
      resolve({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8'), status });
    });
    child.stdin.on('error', () => {
      // the tool may exit without reading its input; its status tells the story
    });
    child.stdin.end(options.input);
  });
}

/** {@link runToolAsync} that rejects (with the tool's stderr) unless it exits 0. */
export async function runToolAsyncOk(program: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  return assertOk(program, args, await runToolAsync(program, args, options));
}

import { runTool, runToolAsync, runToolOk, type ToolOptions, type ToolResult } from './run-tool.js';

/**
 * The system `openssl` (3.0 on this machine), run as a user would run it. Tests use it
 * as the independent implementation our files and signatures must interoperate with.
 * Never throws on a non-zero exit: assert on `status` and `stderr`.
 *
 * Synchronous, which is right for local work (keys, certificates, `pkcs12`, `dgst`). For
 * `s_client` against a server in this same process use {@link opensslAsync}: a blocked
 * event loop would starve that server.
 */
export function openssl(args: readonly string[], options?: ToolOptions): ToolResult {
  return runTool('openssl', args, options);
}

/** `openssl` that throws (with its stderr) unless it exits 0: for set-up steps. */
export function opensslOk(args: readonly string[], options?: ToolOptions): ToolResult {
  return runToolOk('openssl', args, options);
}

/** `openssl` without blocking the event loop (e.g. `s_client` to an in-process server). */
export function opensslAsync(args: readonly string[], options?: ToolOptions): Promise<ToolResult> {
  return runToolAsync('openssl', args, options);
}

import { runToolAsync, runToolAsyncOk, type ToolOptions, type ToolResult } from './run-tool.js';

/**
 * The system `curl`: a real HTTP/TLS client (client certificates, exact headers) to talk
 * to servers under test the way users' scripts do. Never rejects on a non-zero exit:
 * assert on `status` (e.g. 7 = connection refused, 35/56 = TLS handshake refused).
 *
 * Asynchronous on purpose: the server under test usually lives in this same process,
 * and a synchronous spawn would block the very event loop that has to answer curl.
 */
export function curl(args: readonly string[], options?: ToolOptions): Promise<ToolResult> {
  return runToolAsync('curl', args, options);
}

/** `curl` that rejects (with its stderr) unless it exits 0. */
export function curlOk(args: readonly string[], options?: ToolOptions): Promise<ToolResult> {
  return runToolAsyncOk('curl', args, options);
}

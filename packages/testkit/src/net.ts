import { createConnection, createServer } from 'node:net';
import { TestkitError } from './errors.js';
import { sleep } from './time.js';

/**
 * A TCP port nothing listens on right now. The kernel picks it (bind to port 0), so two
 * callers never get the same one at the same moment; a tiny window remains between
 * closing our socket and the service binding it, which callers that matter retry.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new TestkitError(`could not read the bound address on ${host}`, 'TESTKIT_START_FAILED'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** One connection attempt: true when something accepts TCP on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves once host:port accepts TCP; rejects with a clear error after `timeoutMs`. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortOpen(port, host, Math.min(1_000, timeoutMs))) return;
    if (Date.now() >= deadline) {
      throw new TestkitError(`nothing accepted TCP on ${host}:${port} within ${timeoutMs} ms`, 'TESTKIT_TIMEOUT');
    }
    await sleep(25);
  }
}

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, isPortOpen, waitForPort } from '../src/net.js';

describe('net helpers', () => {
  it('freePort returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect(await isPortOpen(port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortOpen(port)).toBe(false);
  });

  it('waitForPort resolves once something starts listening', async () => {
    const port = await freePort();
    const server = createServer();
    const timer = setTimeout(() => server.listen(port, '127.0.0.1'), 150);
    try {
      const started = Date.now();
      await waitForPort(port, '127.0.0.1', 5_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    } finally {
      clearTimeout(timer);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waitForPort rejects with a clear timeout error', async () => {
    const port = await freePort();
    await expect(waitForPort(port, '127.0.0.1', 200)).rejects.toMatchObject({
      code: 'TESTKIT_TIMEOUT',
      message: `nothing accepted TCP on 127.0.0.1:${port} within 200 ms`,
    });
  });
});

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPortOpen } from '../src/net.js';
import { startNginx } from '../src/nginx.js';
import { processesMentioning } from './helpers.js';

describe('startNginx', () => {
  it('serves a return-200 location on 127.0.0.1, then stops and closes the port', async () => {
    const port = await freePort();
    const nginx = await startNginx({
      config: () => `server { listen 127.0.0.1:${port}; location / { return 200 "ok"; } }`,
    });
    expect(nginx.ports).toEqual([port]);
    expect(processesMentioning(nginx.prefix).length).toBeGreaterThan(0);

    const response = await fetch(`http://127.0.0.1:${port}/anything`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(typeof nginx.errorLog()).toBe('string');

    await nginx.stop();
    expect(await isPortOpen(port)).toBe(false);
    expect(existsSync(nginx.prefix)).toBe(false);
    expect(processesMentioning(nginx.prefix)).toEqual([]);
  });

  it('fails with nginx\'s own message when the config is invalid', async () => {
    const port = await freePort();
    const start = startNginx({ config: () => `server { listen 127.0.0.1:${port}; no_such_directive on; }` });
    await expect(start).rejects.toMatchObject({ code: 'TESTKIT_BAD_CONFIG', message: expect.stringContaining('unknown directive "no_such_directive"') });
  });

  it('fails with nginx\'s start-up error when its port is already taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      const start = startNginx({ config: () => `server { listen 127.0.0.1:${port}; return 200 "ok"; }` });
      await expect(start).rejects.toMatchObject({ code: 'TESTKIT_START_FAILED', message: expect.stringContaining('Address already in use') });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('refuses to listen anywhere but 127.0.0.1, and a whole nginx.conf instead of server blocks', async () => {
    await expect(startNginx({ config: () => 'server { listen 8080; }' })).rejects.toMatchObject({ code: 'TESTKIT_BAD_CONFIG', message: expect.stringContaining('listen 8080') });
    await expect(startNginx({ config: () => 'server { listen 0.0.0.0:8080; }' })).rejects.toMatchObject({ code: 'TESTKIT_BAD_CONFIG' });
    await expect(startNginx({ config: () => 'events {}\nhttp { server { listen 127.0.0.1:8080; } }' })).rejects.toMatchObject({ code: 'TESTKIT_BAD_CONFIG' });
  });

  describe('as a reverse proxy', () => {
    let upstream: Server;
    let upstreamPort: number;
    beforeAll(async () => {
      upstream = createServer((request, response) => {
        let received = 0;
        request.on('data', (chunk: Buffer) => (received += chunk.length));
        request.on('end', () => response.end(JSON.stringify({ received, forwardedFor: request.headers['x-forwarded-for'] ?? null })));
      });
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      upstreamPort = (upstream.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => upstream.close(resolve));
    });

    it('buffers a large request body through its private temp dir and passes it upstream', async () => {
      const port = await freePort();
      const nginx = await startNginx({
        config: (paths) => `
          server {
            listen 127.0.0.1:${port};
            client_max_body_size 2m;
            location / {
              proxy_pass http://127.0.0.1:${upstreamPort};
              proxy_set_header X-Forwarded-For $remote_addr;
            }
          }
          # paths are available to the config: ${paths.prefix}`,
      });
      try {
        // 512 KiB exceeds client_body_buffer_size, so nginx must write client_body_temp_path.
        const body = new Uint8Array(512 * 1024).fill(97);
        const response = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ received: body.length, forwardedFor: '127.0.0.1' });
        expect(nginx.errorLog()).toContain('a client request body is buffered to a temporary file');
      } finally {
        await nginx.stop();
      }
    });
  });
});

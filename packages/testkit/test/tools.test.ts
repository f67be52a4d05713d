import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, curlOk } from '../src/curl.js';
import { freePort } from '../src/net.js';
import { openssl, opensslAsync, opensslOk } from '../src/openssl.js';
import { runTool } from '../src/run-tool.js';

describe('openssl', () => {
  it('runs the system OpenSSL 3 and returns its output', () => {
    const result = openssl(['version']);
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toMatch(/^OpenSSL 3\./);
  });

  it('feeds input on stdin', () => {
    const result = opensslOk(['dgst', '-sha256', '-binary'], { input: 'abc' });
    expect(result.stdout.equals(createHash('sha256').update('abc').digest())).toBe(true);
  });

  it('reports a failing command by its exit status instead of throwing', () => {
    const result = openssl(['pkey', '-in', '/nonexistent/key.pem', '-noout']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nonexistent\/key\.pem/);
  });

  it('opensslOk throws with the stderr of a failing command', () => {
    expect(() => opensslOk(['pkey', '-in', '/nonexistent/key.pem', '-noout'])).toThrow(/exited with status 1:[\s\S]*nonexistent\/key\.pem/);
  });

  it('opensslAsync gives the same result shape without blocking', async () => {
    const result = await opensslAsync(['dgst', '-sha256', '-r'], { input: Buffer.from('abc') });
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toMatch(/^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad /);
  });

  it('reports a tool killed by a signal as 128 + signal number', () => {
    expect(runTool('sh', ['-c', 'kill -TERM $$']).status).toBe(128 + 15);
  });

  it('says which package to install when a program is missing', () => {
    expect(() => runTool('ecp-no-such-program', [])).toThrow(/apt-get install ecp-no-such-program/);
  });
});

describe('curl', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => response.end(`hello ${request.headers['x-probe'] ?? ''}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('talks to a server in this same process', async () => {
    const result = await curlOk(['-sS', '-H', 'X-Probe: 1', url]);
    expect(result.stdout.toString()).toBe('hello 1');
  });

  it('reports connection refused as curl exit status 7', async () => {
    const result = await curl(['-sS', `http://127.0.0.1:${await freePort()}/`]);
    expect(result.status).toBe(7);
    expect(result.stderr).toMatch(/Failed to connect|Couldn't connect/);
    await expect(curlOk(['-sS', `http://127.0.0.1:${await freePort()}/`])).rejects.toThrow(/exited with status 7/);
  });
});

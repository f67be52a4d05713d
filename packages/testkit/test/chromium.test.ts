import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, launchChromium } from '../src/chromium.js';

describe('launchChromium', () => {
  let server: Server;
  let origin: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(`<!doctype html><title>ecp testkit page</title><p id="path">${request.url ?? ''}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('opens a page from a local server and reads its title', async () => {
    browser = await launchChromium();
    expect(browser.version()).toMatch(/^\d+\./);
    const page = await browser.newPage();
    await page.goto(`${origin}/hello`);
    expect(await page.title()).toBe('ecp testkit page');
    expect(await page.textContent('#path')).toBe('/hello');
    // WebCrypto is what the browser SDK needs; it is there on http://127.0.0.1 (a secure context).
    expect(await page.evaluate(() => window.isSecureContext && typeof crypto.subtle.sign === 'function')).toBe(true);
  });

  it('launches with exactly the agreed flags', () => {
    expect(CHROMIUM_FLAGS).toEqual([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]);
  });
});

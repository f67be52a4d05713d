/**
 * A Chromium page running code bundled from this package's sources: esbuild bundles the entry
 * (source condition, ESM with the SDK's lazy @noble chunks split out as in production), the
 * fake server serves it from the same origin as the API, and Playwright drives the page.
 */
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@ecp/testkit';
import type { FakeEcpServer } from './fake-ecp-server.js';

export interface ChromiumPage {
  browser: Browser;
  page: Page;
  /** Errors the page threw or logged, for the test to assert there were none. */
  errors: string[];
  close(): Promise<void>;
}

export async function openTestPage(server: FakeEcpServer, entry: URL): Promise<ChromiumPage> {
  const bundle = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Minified as a production bundle is, so that what minifiers break (names) breaks here too.
    minify: true,
    conditions: ['source'],
    outdir: '/test',
    write: false,
    logLevel: 'silent',
  });
  const entryName = `${basename(fileURLToPath(entry), '.ts')}.js`;
  for (const file of bundle.outputFiles) {
    server.serve(`/test/${basename(file.path)}`, { body: file.contents, contentType: 'text/javascript; charset=utf-8' });
  }
  server.serve('/test/index.html', {
    body: `<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/test/${entryName}"></script>`,
    contentType: 'text/html; charset=utf-8',
  });

  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // Chromium logs every non-2xx fetch as "Failed to load resource"; the tests cause those on purpose.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
    });
    await page.goto(`${server.url}/test/index.html`);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 15_000 });
    return { browser, page, errors, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

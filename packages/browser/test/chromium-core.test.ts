/**
 * The crypto core's Node tests (crypto-core.test.ts, webcrypto-wycheproof.test.ts) again, in
 * headless Chromium: `keyCases` (cases.ts) is replaced by a proxy that runs each case inside
 * a Chromium page, where the same cases.ts is bundled by esbuild, so the very same
 * assertions check Chromium's WebCrypto, Blob and lazily loaded chunks. Inputs (the OpenSSL
 * files, Wycheproof vectors) are read in Node and passed into the page as JSON.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { KeyCases } from './cases.js';
import { openTestPage, type ChromiumPage } from './helpers/chromium-page.js';
import { startFakeEcpServer, type FakeEcpServer } from './helpers/fake-ecp-server.js';

const chromium = vi.hoisted(() => ({ page: undefined as Page | undefined, calls: 0 }));

vi.mock('./cases.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./cases.js')>();
  const inPage = (name: string) => (input: unknown) => {
    if (!chromium.page) throw new Error('the Chromium page is not open');
    chromium.calls += 1;
    return chromium.page.evaluate(([caseName, caseInput]) => (window.ecpKeyCases[caseName as keyof KeyCases] as (i: unknown) => Promise<unknown>)(caseInput), [name, input] as const);
  };
  const keyCases = Object.fromEntries(Object.keys(actual.keyCases).map((name) => [name, inPage(name)]));
  return { ...actual, keyCases };
});

// Their describe/it blocks register here, with keyCases now running in Chromium.
import './crypto-core.test.js';
import './webcrypto-wycheproof.test.js';

let server: FakeEcpServer;
let page: ChromiumPage;

beforeAll(async () => {
  server = await startFakeEcpServer([]);
  page = await openTestPage(server, new URL('./chromium-core-entry.ts', import.meta.url));
  chromium.page = page.page;
});

afterAll(async () => {
  await page?.close();
  await server?.close();
});

// Registered after the imported files' tests, so it runs after them.
it('ran the cases in Chromium, and the page logged no errors', async () => {
  expect(await page.page.evaluate(() => navigator.userAgent)).toMatch(/HeadlessChrome/);
  expect(chromium.calls).toBeGreaterThan(50);
  expect(page.errors).toEqual([]);
});

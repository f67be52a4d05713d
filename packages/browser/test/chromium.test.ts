/**
 * The SDK's tests in real headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core; never a downloaded browser): the same cases as in Node, run inside a page
 * served from 127.0.0.1, so that WebCrypto, fetch, Blob and the lazy @noble chunks are the
 * browser's own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadOpensslManifest, opensslVector } from '@ecp/test-vectors';
import { startFakeEcpServer, type FakeEcpServer } from './helpers/fake-ecp-server.js';
import { openTestPage, type ChromiumPage } from './helpers/chromium-page.js';
import type { SdkCaseName, SdkCases } from './sdk-cases.js';
import { defineSdkSuite, vectorUsers, type SdkRunner } from './sdk-suite.js';

let server: FakeEcpServer;
let chromium: ChromiumPage;

beforeAll(async () => {
  server = await startFakeEcpServer(vectorUsers());
  chromium = await openTestPage(server, new URL('./chromium-entry.ts', import.meta.url));
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

const run: SdkRunner = <N extends SdkCaseName>(name: N, input: Parameters<SdkCases[N]>[0]) =>
  chromium.page.evaluate(
    ([caseName, caseInput]) => (window.ecpSdkCases[caseName] as (input: unknown) => Promise<unknown>)(caseInput),
    [name, input] as const,
  ) as ReturnType<SdkCases[N]>;

it('runs in Chromium, not Node: WebCrypto lacks AES-192 there (so the lazy @noble chunk is what reads AES-192 files)', async () => {
  const userAgent = await chromium.page.evaluate(() => navigator.userAgent);
  expect(userAgent).toMatch(/HeadlessChrome|Chrome\//);
  const aes192 = await chromium.page.evaluate(async () => {
    try {
      await crypto.subtle.importKey('raw', new Uint8Array(24), 'AES-CBC', false, ['decrypt']);
      return 'supported';
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(aes192).toBe('OperationError');
});

defineSdkSuite({ run, server: () => server });

it('the browser keeps the session cookie POST /login sets (same-origin credentials)', async () => {
  const result = await run('login', {
    baseUrl: '',
    username: 'alice',
    password: 'alice-password',
    file: { text: opensslVector('p256-pkcs8-aes256-sha256').text! },
    passphrase: loadOpensslManifest().passphrases.default,
  });
  expect(result.ok).toBe(true);
  const me = await chromium.page.evaluate(async () => (await fetch('/me')).json());
  expect(me).toEqual({ username: 'alice' });
});

it('the page logged no errors', () => {
  expect(chromium.errors).toEqual([]);
});

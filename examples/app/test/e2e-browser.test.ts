/**
 * The example app end to end in real headless Chromium (Debian's /usr/bin/chromium through
 * the testkit; never a downloaded browser), on real PostgreSQL, as a person uses it: register
 * with server-made keys and save the three files, log in with the saved key file and with the
 * .p12, register with a key made in the page, and meet the error messages. Key files use the
 * default 600 000 PBKDF2 iterations throughout (server-made and page-made); only the password
 * hash is cheapened (tests only), as in the app's other tests.
 *
 * Each page is saved as a screenshot under test-artifacts/screenshots/ (git-ignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LegacyPkcs12Error, parseCertificate, readPkcs12, readPrivateKey } from '@ecp/core';
import { createPostgresKysely } from '@ecp/fastify';
import { opensslVector } from '@ecp/test-vectors';
import { createTestDatabase, launchChromium, openssl } from '@ecp/testkit';
// inject('databaseUrl') is typed by the global setup's ProvidedContext augmentation.
import type {} from '@ecp/testkit/postgres-global-setup';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrateAppDatabase } from '../src/database.js';
import { cheapHasher, SESSION_SECRET, uniqueUser } from './helpers/app.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));
const PASSWORD = 'correct horse battery';
const PASSPHRASE = 'key file passphrase';

let drop: () => Promise<void>;
let db: ReturnType<typeof createPostgresKysely>;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let downloads: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  const database = await createTestDatabase(inject('databaseUrl'), 'ecp_example_e2e');
  drop = database.drop;
  db = createPostgresKysely(database.url, { max: 8 });
  await migrateAppDatabase(db);
  // Default kdfIterations (600 000): the key files are what users get.
  app = await buildApp({ db, sessionSecret: SESSION_SECRET, passwordHasher: cheapHasher });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 900, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  downloads = mkdtempSync(join(tmpdir(), 'ecp-e2e-downloads-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.destroy();
  await drop?.();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const screenshot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Clicks a download link; returns the saved file's path after checking its suggested name. */
async function download(selector: string, expectedName: string, as: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  expect(file.suggestedFilename()).toBe(expectedName);
  const path = join(downloads, as);
  await file.saveAs(path);
  return path;
}

/** Records every text the login/register status line shows, to see the progress phases. */
async function recordStatus(selector: string): Promise<void> {
  await page.evaluate((statusSelector) => {
    const status = document.querySelector(statusSelector)!;
    const seen: string[] = ((window as unknown as { statuses: string[] }).statuses = []);
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  }, selector);
}
const statuses = (): Promise<string[]> => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);

async function fillLogin(username: string, password: string, keyFile: string | { name: string; mimeType: string; buffer: Buffer }, passphrase: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Key file', { exact: true }).setInputFiles(keyFile);
  await page.getByLabel('Key file passphrase').fill(passphrase);
  await recordStatus('#login-status');
}

async function loginAndExpectSession(username: string, keyFile: string, passphrase = PASSPHRASE): Promise<void> {
  await fillLogin(username, PASSWORD, keyFile, passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('#session').waitFor({ state: 'visible', timeout: 20_000 });
  expect(await page.locator('#session-user').textContent()).toBe(username);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You are logged in');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('title');
  expect(JSON.parse((await page.locator('#me-response').textContent()) ?? '')).toEqual({ username });
  // The slow step was announced while it ran.
  expect((await statuses()).some((text) => text.startsWith('Unlocking the key file'))).toBe(true);
  // And the server agrees: the page's session cookie reaches GET /me.
  expect(await page.evaluate(async () => (await fetch('/me')).status)).toBe(200);
}

async function logOut(): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('#login-form').waitFor({ state: 'visible' });
  expect(await page.evaluate(async () => (await fetch('/me')).status)).toBe(401);
}

async function expectLoginError(pattern: RegExp, focusedField: string): Promise<string> {
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible', timeout: 20_000 });
  const text = (await alert.textContent()) ?? '';
  expect(text).toMatch(pattern);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(focusedField);
  expect(await page.locator(`#${focusedField}`).getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#session').isHidden()).toBe(true);
  return text;
}

describe('the example app in Chromium', () => {
  it('home page explains what this is and links to register and log in', async () => {
    await page.goto(baseUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Log in with a password and a key file');
    expect(await page.getByRole('link', { name: 'Create an account' }).getAttribute('href')).toBe('/register');
    expect(await page.locator('#session').isHidden()).toBe(true);
    await screenshot('01-home');
  });

  const serverUser = uniqueUser('server');
  const files: Record<'key' | 'certificate' | 'p12', string> = { key: '', certificate: '', p12: '' };

  it('registers with server-made keys and saves private_key.pem, certificate.pem and credentials.p12', async () => {
    await page.goto(`${baseUrl}/register`);
    await screenshot('02-register');
    const form = page.locator('#server-form');
    await form.getByLabel('Username').fill(serverUser);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Passphrase for the key file').fill(PASSPHRASE);
    await form.getByLabel('Passphrase again').fill(PASSPHRASE);
    await form.getByRole('button').click();
    await page.locator('#server-result').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.getByRole('tablist').isHidden()).toBe(true); // the choice is over
    await screenshot('03-register-server-made-keys-saved');

    files.key = await download('#server-result a[data-file="private_key"]', 'private_key.pem', 'server-private_key.pem');
    files.certificate = await download('#server-result a[data-file="certificate"]', 'certificate.pem', 'server-certificate.pem');
    files.p12 = await download('#server-result a[data-file="pkcs12"]', 'credentials.p12', 'server-credentials.p12');
    expect(await page.locator('#server-result a.saved').count()).toBe(3);
    await screenshot('03b-register-server-made-keys-saved-marked');
    // The server gave each file once; a second click saves the page's copy, not the server's 404.
    const again = await download('#server-result a[data-file="private_key"]', 'private_key.pem', 'server-private_key-again.pem');
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(files.key, 'utf8'));
    expect(await page.locator('#server-result .error').isHidden()).toBe(true);

    const key = await readPrivateKey(readFileSync(files.key, 'utf8'), PASSPHRASE);
    const certificate = parseCertificate(readFileSync(files.certificate, 'utf8'));
    expect(certificate.subject.commonName).toBe(serverUser);
    const p12 = await readPkcs12(new Uint8Array(readFileSync(files.p12)), PASSPHRASE);
    expect(p12.certificate.subject.commonName).toBe(serverUser);
    expect(p12.privateKey.asymmetricKeyDetails?.namedCurve).toBe(key.asymmetricKeyDetails?.namedCurve);
    expect(readFileSync(files.key, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });

  it('logs out, then logs in by choosing the downloaded private_key.pem, and /me knows the user', async () => {
    await page.goto(`${baseUrl}/login`);
    if (await page.locator('#session').isVisible()) await logOut();
    await screenshot('04-login');
    await loginAndExpectSession(serverUser, files.key);
    await screenshot('05-logged-in');
    await logOut();
  });

  it('shows progress while logging in (held at the challenge request to take the picture)', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/ecp/challenge', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await fillLogin(serverUser, PASSWORD, files.key, PASSPHRASE);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('Asking the server for a one-time challenge').waitFor({ timeout: 20_000 });
      expect(await page.locator('.progress progress').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Log in' }).isDisabled()).toBe(true);
      await screenshot('05b-login-in-progress');
      release();
      await page.locator('#session').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('.progress').isHidden()).toBe(true);
      await logOut();
    } finally {
      release();
      await page.unroute('**/ecp/challenge');
    }
  });

  it('logs in with the downloaded credentials.p12', async () => {
    await loginAndExpectSession(serverUser, files.p12);
    await page.goto(baseUrl);
    await page.locator('#session').waitFor({ state: 'visible' });
    expect(await page.locator('#session-user').textContent()).toBe(serverUser);
    await screenshot('06-home-logged-in');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#session').waitFor({ state: 'hidden' });
  });

  it('a wrong passphrase says so and puts the focus on the passphrase field', async () => {
    await fillLogin(serverUser, PASSWORD, files.key, 'not the passphrase');
    const text = await expectLoginError(/The passphrase does not decrypt this key file/, 'passphrase');
    expect(text).toMatch(/not your account password/);
    await screenshot('07-login-wrong-passphrase');
  });

  it('a wrong password gets the uniform "username, password or key file is wrong"', async () => {
    await fillLogin(serverUser, 'wrong password', files.key, PASSPHRASE);
    await expectLoginError(/The username, password or key file is wrong\./, 'username');
    await screenshot('08-login-wrong-password');
  });

  it('a certificate chosen as the key file is "not a private key"', async () => {
    await fillLogin(serverUser, PASSWORD, files.certificate, PASSPHRASE);
    await expectLoginError(/does not contain a private key \(a certificate\)/, 'key-file');
    await screenshot('09-login-not-a-key-file');
  });

  it('a legacy 3DES .p12 gets the OpenSSL command that re-exports it', async () => {
    const legacy = opensslVector('p12-legacy');
    await fillLogin(serverUser, PASSWORD, { name: 'old.p12', mimeType: 'application/x-pkcs12', buffer: Buffer.from(legacy.bytes) }, legacy.passphrase!);
    await expectLoginError(/old encryption \(3DES or RC2\)/, 'key-file');
    expect((await page.locator('.error pre code').textContent())?.replace(/\n/g, ' ')).toBe(LegacyPkcs12Error.reexportCommand);
    await screenshot('10-login-legacy-p12');
  });

  const pageUser = uniqueUser('page');
  it('registers with a key made in the page: only a CSR is sent, and the three files are saved from the page', async () => {
    const sent: string[] = [];
    const onRequest = (request: { method(): string; postData(): string | null; url(): string }): void =>
      void sent.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`);
    page.on('request', onRequest);
    await page.goto(`${baseUrl}/register`);
    await page.getByRole('tab', { name: 'This page makes my key' }).click();
    await screenshot('11-register-browser-tab');
    const form = page.locator('#browser-form');
    await form.getByLabel('Username').fill(pageUser);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Passphrase for the key file').fill(PASSPHRASE);
    await form.getByLabel('Passphrase again').fill(PASSPHRASE);
    await form.getByRole('button').click();
    await page.locator('#browser-result').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot('12-register-page-made-keys-saved');
    page.off('request', onRequest);

    const register = sent.filter((line) => line.startsWith(`POST ${baseUrl}/register `));
    expect(register).toHaveLength(1);
    expect(register[0]).toContain('BEGIN CERTIFICATE REQUEST');
    expect(sent.join('\n')).not.toMatch(/PRIVATE KEY|passphrase/);

    const keyPath = await download('#browser-result a[data-file="private_key"]', 'private_key.pem', 'page-private_key.pem');
    const certificatePath = await download('#browser-result a[data-file="certificate"]', 'certificate.pem', 'page-certificate.pem');
    const p12Path = await download('#browser-result a[data-file="pkcs12"]', 'credentials.p12', 'page-credentials.p12');
    await readPrivateKey(readFileSync(keyPath, 'utf8'), PASSPHRASE);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(parseCertificate(readFileSync(certificatePath, 'utf8')).subject.commonName).toBe(pageUser);
    expect((await readPkcs12(new Uint8Array(readFileSync(p12Path)), PASSPHRASE)).certificate.subject.commonName).toBe(pageUser);
    files.key = keyPath;
    files.p12 = p12Path;
  });

  it('logs in with the key file the page made, and with its .p12', async () => {
    await loginAndExpectSession(pageUser, files.key);
    await logOut();
    await loginAndExpectSession(pageUser, files.p12);
    await logOut();
  });

  const opensslUser = uniqueUser('openssl');
  it('registers with a key made by OpenSSL (the commands the page shows) and a pasted CSR, then logs in with that key', async () => {
    await page.goto(`${baseUrl}/register#csr`);
    // The shell line continuation (backslash, newline) joined back into one line.
    const shown = ((await page.locator('#panel-csr pre code').textContent()) ?? '').replace(/ \\\n\s*/g, ' ');
    // Run the page's own commands (its pipe as two steps), with the username and a passphrase filled in.
    const [genpkey, pkcs8] = shown.split('\n')[0]!.split(' | ').map((part) => part.replace(/^openssl /, '').split(' '));
    const key = openssl(genpkey!);
    expect(key.status, key.stderr).toBe(0);
    const keyPath = join(downloads, 'openssl-private_key.pem');
    const encrypted = openssl([...pkcs8!.map((arg) => (arg === 'private_key.pem' ? keyPath : arg)), '-passout', `pass:${PASSPHRASE}`], { input: key.stdout });
    expect(encrypted.status, encrypted.stderr).toBe(0);
    const req = shown.split('\n')[1]!.replace(/^openssl /, '').replace('YOUR_USERNAME', opensslUser).replace('private_key.pem', keyPath).replace('request.csr', join(downloads, 'request.csr'));
    const made = openssl([...req.split(' ').map((arg) => arg.replace(/^"|"$/g, '')), '-passin', `pass:${PASSPHRASE}`]);
    expect(made.status, made.stderr).toBe(0);

    const form = page.locator('#csr-form');
    await form.getByLabel('Username').fill(opensslUser);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Certificate request').fill(readFileSync(join(downloads, 'request.csr'), 'utf8'));
    await screenshot('14-register-own-csr');
    await form.getByRole('button').click();
    await page.locator('#csr-result').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot('15-register-own-csr-done');
    const certificatePath = await download('#csr-result a[data-file="certificate"]', 'certificate.pem', 'openssl-certificate.pem');
    expect(parseCertificate(readFileSync(certificatePath, 'utf8')).subject.commonName).toBe(opensslUser);

    await loginAndExpectSession(opensslUser, keyPath);
    await logOut();
  });

  it('a CSR for another name is refused with the server\'s reason', async () => {
    await page.goto(`${baseUrl}/register#csr`);
    const form = page.locator('#csr-form');
    await form.getByLabel('Username').fill(uniqueUser('csr-mismatch'));
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Certificate request').fill(readFileSync(join(downloads, 'request.csr'), 'utf8'));
    await form.getByRole('button').click();
    const alert = form.getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/CN|common name|username/i);
    await screenshot('16-register-own-csr-wrong-name');
  });

  it('a taken username is explained on the register page', async () => {
    await page.goto(`${baseUrl}/register`);
    const form = page.locator('#server-form');
    await form.getByLabel('Username').fill(serverUser);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Passphrase for the key file').fill(PASSPHRASE);
    await form.getByLabel('Passphrase again').fill(PASSPHRASE);
    await form.getByRole('button').click();
    const alert = form.getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/This username is taken: choose another one\./);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('server-username');
    await screenshot('13-register-username-taken');
  });

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});

// Keep the downloaded files' directory out of the screenshots folder; write an index for people.
afterAll(() => {
  writeFileSync(join(SCREENSHOTS, 'README.txt'), 'Screenshots of the example app, written by examples/app/test/e2e-browser.test.ts.\n');
});

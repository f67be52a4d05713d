import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { TestkitError } from './errors.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with nothing that phones home during a test: no sandbox
 * (we run as root in CI and there is no user namespace), no GPU, no QUIC (so TLS tests
 * always go over TCP), no first-run UI, background networking, component updates or sync.
 * Playwright adds its own automation flags on top.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium through playwright-core (which never downloads browsers).
 * Close it with `browser.close()`; Playwright also kills it if this process exits.
 */
export async function launchChromium(options: { timeoutMs?: number } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new TestkitError(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium`, 'TESTKIT_MISSING_PROGRAM');
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    timeout: options.timeoutMs ?? 30_000,
  });
}

/**
 * The example app's pages: `/`, `/register`, `/login` (plain HTML) and `/assets/*` (their
 * scripts with @ecp/browser, and the stylesheet). Register it next to the app's API routes:
 * `await app.register(pages)`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { pageAssets } from './assets.js';

const PAGES = { '/': 'index.html', '/register': 'register.html', '/login': 'login.html' } as const;

/**
 * Everything comes from this origin; no inline script or style, no plugins, no framing.
 * `blob:` for the key files a page makes and offers for saving.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache');
}

export async function pages(app: FastifyInstance): Promise<void> {
  const assets = await pageAssets();
  const html = new Map<string, Buffer>();
  for (const [path, file] of Object.entries(PAGES)) {
    html.set(path, await readFile(fileURLToPath(new URL(`./static/${file}`, import.meta.url))));
  }

  for (const path of Object.keys(PAGES)) {
    app.get(path, async (_request, reply) => securityHeaders(reply).type('text/html; charset=utf-8').send(html.get(path)));
  }

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return securityHeaders(reply).type(asset.contentType).send(asset.body);
  });
}

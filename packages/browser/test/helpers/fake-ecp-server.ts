/**
 * A small stand-in for an application using @ecp/fastify, for the SDK's own tests (the real
 * plugin and example app are exercised by examples/app's e2e test). It speaks the contract's
 * routes, verifies signatures and CSRs with @ecp/core (node:crypto), and records every API
 * request so that tests can check what the SDK sent. It also serves the Chromium test page,
 * so that the SDK's fetches there are same-origin.
 *
 * Scripted failures, by path:
 *   GET /ratelimited/challenge → 429 with Retry-After: 42
 *   GET /broken/challenge      → 500 with an HTML body
 *   GET /notjson/challenge     → 200 text/plain
 *   POST /register with username "taken" → 409, "rejected" → 400, "mismatch" → 201 with a
 *   certificate for another key.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  certificateToPem,
  createSelfSignedCertificate,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
  parseCsr,
  verifyCsr,
  verifySignature,
  type Certificate,
} from '@ecp/core';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  cookie: string | undefined;
  body: unknown;
}

export interface StaticFile {
  body: string | Uint8Array;
  contentType: string;
}

export interface FakeEcpServer {
  url: string;
  requests: RecordedRequest[];
  /** Challenges issued so far (a wrong passphrase must not cost one). */
  challengesIssued(): number;
  /** Serve `file` at `path` (the Chromium test page and its script). */
  serve(path: string, file: StaticFile): void;
  close(): Promise<void>;
}

export interface FakeUser {
  username: string;
  password: string;
  certificatePem?: string;
}

const MAX_BODY = 64 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) request.destroy(new Error('body too large'));
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

const AUTH_FAILED = { error: 'invalid credentials', code: 'ECP_AUTH_FAILED' };

export async function startFakeEcpServer(initialUsers: readonly FakeUser[]): Promise<FakeEcpServer> {
  const users = new Map(initialUsers.map((u) => [u.username, { ...u }]));
  const nonces = new Map<string, string>();
  const sessions = new Map<string, string>();
  const files = new Map<string, StaticFile>();
  const requests: RecordedRequest[] = [];
  let issued = 0;

  // Certificates for CSRs are issued by a throwaway CA, as a real server in CA mode would.
  const caKey = generateKeyPair().privateKey;
  const ca = createSelfSignedCertificate({ privateKey: caKey, commonName: 'fake ecp test CA', profile: 'ca' });
  const issue = (spki: Uint8Array, username: string): Certificate =>
    issueCertificate({ subjectPublicKey: spki, subject: { CN: username }, issuerCertificate: ca, issuerKey: caKey, profile: 'client', days: 30 });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const text = request.method === 'POST' ? await readBody(request) : '';
    let body: unknown = text;
    if (request.headers['content-type']?.startsWith('application/json')) {
      try {
        body = JSON.parse(text);
      } catch {
        return json(response, 400, { error: 'malformed JSON', code: 'ECP_BAD_REQUEST' });
      }
    }
    // The test page and its script chunks (the SDK loads some lazily) are not API traffic.
    const file = files.get(path);
    if (request.method === 'GET' && file) {
      response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' });
      return void response.end(file.body);
    }
    requests.push({ method: request.method ?? '', path, contentType: request.headers['content-type'], cookie: request.headers.cookie, body });
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (request.method === 'GET' && path === '/ecp/challenge') {
      issued++;
      const id = `n${issued}-${randomBytes(4).toString('hex')}`;
      const nonce = randomBytes(32).toString('hex');
      nonces.set(id, nonce);
      return json(response, 200, { nonce, nonce_id: id, expires_at: new Date(Date.now() + 300_000).toISOString() });
    }
    if (path === '/ratelimited/challenge') {
      return json(response, 429, { error: 'too many challenges, retry in 42 seconds', code: 'ECP_RATE_LIMITED' }, { 'retry-after': '42' });
    }
    if (path === '/broken/challenge') {
      response.writeHead(500, { 'content-type': 'text/html' });
      return void response.end('<h1>Internal Server Error</h1>');
    }
    if (path === '/notjson/challenge') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end('hello');
    }
    if (request.method === 'POST' && path === '/login') {
      const user = users.get(String(fields.username));
      const nonce = nonces.get(String(fields.nonce_id));
      nonces.delete(String(fields.nonce_id)); // single use, whatever the outcome
      const signature = typeof fields.signature === 'string' && /^[0-9a-f]+$/i.test(fields.signature) ? Buffer.from(fields.signature, 'hex') : undefined;
      const ok =
        user !== undefined &&
        user.password === fields.password &&
        user.certificatePem !== undefined &&
        nonce !== undefined &&
        signature !== undefined &&
        verifySignature(parseCertificate(user.certificatePem), nonce, signature);
      if (!ok) return json(response, 401, AUTH_FAILED);
      const sid = randomBytes(16).toString('hex');
      sessions.set(sid, user.username);
      return json(response, 200, { username: user.username }, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Strict` });
    }
    if (request.method === 'GET' && path === '/me') {
      const sid = /(?:^|; )sid=([0-9a-f]+)/.exec(request.headers.cookie ?? '')?.[1];
      const username = sid === undefined ? undefined : sessions.get(sid);
      return username === undefined ? json(response, 401, { error: 'not logged in', code: 'ECP_UNAUTHENTICATED' }) : json(response, 200, { username });
    }
    if (request.method === 'POST' && path === '/register') {
      const username = String(fields.username);
      if (username === 'taken' || users.has(username)) return json(response, 409, { error: 'username taken', code: 'ECP_USERNAME_TAKEN' });
      if (username === 'rejected') return json(response, 400, { error: 'the password is too short', code: 'ECP_BAD_REQUEST' });
      let csr;
      try {
        csr = parseCsr(String(fields.csr));
        verifyCsr(csr);
      } catch (error) {
        return json(response, 400, { error: `bad CSR: ${(error as Error).message}`, code: 'ECP_BAD_REQUEST' });
      }
      if (csr.subject.commonName !== username) return json(response, 400, { error: 'the CSR CN is not the username', code: 'ECP_BAD_REQUEST' });
      const spki = username === 'mismatch' ? generateKeyPair().publicKey.export({ format: 'der', type: 'spki' }) : csr.publicKey.spki;
      const certificatePem = certificateToPem(issue(new Uint8Array(spki), username));
      users.set(username, { username, password: String(fields.password), certificatePem });
      return json(response, 201, { username, certificate: certificatePem });
    }
    json(response, 404, { error: 'not found', code: 'ECP_NOT_FOUND' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String(error), code: 'ECP_INTERNAL' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    challengesIssued: () => issued,
    serve: (path, file) => void files.set(path, file),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Client side of the tests: sessions over inject(), key handling and signing with node:crypto. */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const COOKIE = 'ecp.sid';

/** A browser-like cookie jar over `app.inject()` for one session cookie. */
export class InjectClient {
  cookie: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  async request(method: 'GET' | 'POST', url: string, options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; payload?: string | Buffer } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let payload: string | Buffer | undefined = options.payload;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    }
    if (this.cookie !== undefined) headers.cookie = `${COOKIE}=${this.cookie}`;
    const response = await this.app.inject({ method, url, headers, remoteAddress: this.remoteAddress, ...(payload === undefined ? {} : { payload }) });
    const set = response.cookies.find((cookie) => cookie.name === COOKIE);
    if (set !== undefined) this.cookie = set.value;
    return response;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, { headers: headers ?? {} });
  }

  post(url: string, json: unknown) {
    return this.request('POST', url, { json });
  }
}

export interface Challenge {
  nonce: string;
  nonce_id: string;
  expires_at: string;
}

/** The hex DER signature of the nonce's UTF-8 bytes, as contract §1 asks. */
export const signNonce = (key: KeyObject, nonce: string): string => sign('sha256', Buffer.from(nonce, 'utf8'), key).toString('hex');

export const decryptKey = (pem: string, passphrase: string): KeyObject => createPrivateKey({ key: pem, format: 'pem', passphrase });

export interface EnrolledUser {
  username: string;
  password: string;
  keyPassword: string;
  key: KeyObject;
  privateKeyPem: string;
  certificatePem: string;
  client: InjectClient;
}

let serial = 0;
export const uniqueName = (prefix = 'user'): string => `${prefix}${process.pid}x${(serial += 1)}`;

/** Registers a user server-side and downloads the key files, as a browser would. */
export async function enrolUser(app: FastifyInstance, username = uniqueName()): Promise<EnrolledUser> {
  const client = new InjectClient(app);
  const password = `pw-${username}`;
  const keyPassword = `kp-${username}`;
  const registered = await client.post('/register', { username, password, key_password: keyPassword });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const keys = await client.get('/ecp/keys');
  if (keys.statusCode !== 200) throw new Error(`keys failed: ${keys.statusCode} ${keys.body}`);
  const { private_key, certificate } = keys.json<{ private_key: string; certificate: string }>();
  return { username, password, keyPassword, key: decryptKey(private_key, keyPassword), privateKeyPem: private_key, certificatePem: certificate, client: new InjectClient(app) };
}

/** Challenge, sign, and the login body for `user` (overrides replace fields, for failure cases). */
export async function loginBody(client: InjectClient, user: Pick<EnrolledUser, 'username' | 'password' | 'key'>, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const challenge = (await client.get('/ecp/challenge')).json<Challenge>();
  return { username: user.username, password: user.password, nonce_id: challenge.nonce_id, signature: signNonce(user.key, challenge.nonce), ...overrides };
}

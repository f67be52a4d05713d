/**
 * The login check: password and signed nonce, with one uniform failure.
 *
 * Every factor is evaluated whatever the others gave, so that a failure says nothing about
 * which factor was wrong, in its body or (beyond noise) in its timing:
 * - the password goes through the adapter, or its dummy check for an unknown username;
 * - the nonce is consumed (atomically, in the database) on every attempt that names one,
 *   so a nonce can be tried exactly once, even with a wrong password;
 * - the certificate comes from the database (never from the client) and must be inside
 *   its validity window;
 * - the signature is verified strictly (DER only) over the UTF-8 bytes of the nonce.
 * Password check and nonce consumption run concurrently; both always complete.
 */
import { verifySignature } from '@ecp/core';
import type { KeyObject } from 'node:crypto';
import { authFailed } from './errors.js';
import type { EcpUser, EcpUserAdapter } from './options.js';
import type { PublicKeyCache } from './public-key-cache.js';
import type { CertificateStore, ConsumeResult, NonceStore } from './storage/index.js';

/** Bounds of the login body's fields. */
const MAX_USERNAME_LENGTH = 255;
const MAX_PASSWORD_LENGTH = 1024;
const MAX_NONCE_ID_LENGTH = 255;
/** A DER P-256 signature is at most 72 bytes; leave room for the strict parser to refuse more. */
const MAX_SIGNATURE_HEX_LENGTH = 512;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export interface LoginInput {
  username: string | null;
  password: string | null;
  nonceId: string | null;
  signature: Uint8Array | null;
}

export interface LoginDependencies {
  users: EcpUserAdapter;
  nonces: NonceStore;
  certificates: CertificateStore;
  publicKeys: PublicKeyCache;
}

/** Reads the login fields; anything missing, mistyped or out of bounds becomes null. */
export function readLoginInput(body: unknown): LoginInput {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (value: unknown, max: number): string | null =>
    typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
  const signatureHex = text(fields.signature, MAX_SIGNATURE_HEX_LENGTH);
  return {
    username: text(fields.username, MAX_USERNAME_LENGTH),
    password: text(fields.password, MAX_PASSWORD_LENGTH),
    nonceId: text(fields.nonce_id, MAX_NONCE_ID_LENGTH),
    signature: signatureHex !== null && HEX.test(signatureHex) ? new Uint8Array(Buffer.from(signatureHex, 'hex')) : null,
  };
}

/**
 * Checks both factors; resolves to the user, or throws the uniform 401
 * (`ECP_AUTH_FAILED`). Database outages propagate as they are (the caller makes them 503).
 */
export async function authenticate(input: LoginInput, deps: LoginDependencies, now: Date = new Date()): Promise<EcpUser> {
  const [password, nonce] = await Promise.all([checkPassword(input, deps.users), consumeNonce(input.nonceId, deps.nonces, now)]);

  let signatureOk = false;
  if (password.user !== null) {
    const stored = await deps.certificates.find(password.user.id);
    const inWindow = stored !== undefined && stored.notBefore.getTime() <= now.getTime() && now.getTime() <= stored.notAfter.getTime();
    if (stored !== undefined && nonce.status === 'ok' && input.signature !== null) {
      const key = deps.publicKeys.get(stored.sha256, stored.der);
      signatureOk = inWindow && verifies(key, nonce.nonce, input.signature);
    }
  }

  if (password.user === null || !password.ok || nonce.status !== 'ok' || !signatureOk) throw authFailed();
  return { id: password.user.id, username: password.user.username };
}

async function checkPassword(input: LoginInput, users: EcpUserAdapter): Promise<{ user: EcpUser | null; ok: boolean }> {
  const user = input.username === null ? null : await users.findByUsername(input.username);
  if (user === null) {
    await users.dummyPasswordCheck?.(input.password ?? '');
    return { user: null, ok: false };
  }
  const ok = input.password !== null && (await users.verifyPassword(user, input.password)) === true;
  return { user, ok };
}

async function consumeNonce(nonceId: string | null, nonces: NonceStore, now: Date): Promise<ConsumeResult> {
  if (nonceId === null) return { status: 'not_found' };
  return nonces.consume(nonceId, now);
}

function verifies(key: KeyObject, nonce: string, signature: Uint8Array): boolean {
  try {
    return verifySignature(key, nonce, signature);
  } catch {
    // verifySignature promises false for bad input; a throw would still be a failed login.
    return false;
  }
}

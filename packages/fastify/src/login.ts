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
 * Password check and nonce consumption run concurrently; both always complete. Then every
 * attempt does one certificate lookup and one signature verification, also for an unknown
 * user, an unusable nonce or a certificate outside its window (against stand-ins), so that
 * none of those failures is measurably faster than a bad signature.
 */
import { verifySignature } from '@ecp/core';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
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

/**
 * Looked up for a username the adapter does not know. Whatever it finds, the login fails:
 * the password factor already did.
 */
const UNKNOWN_USER_ID = 'ecp:unknown-user';
/** Verified against when the nonce is unusable: as long as a real one, so the check costs the same. */
const UNUSABLE_NONCE = '0'.repeat(64);
const NO_SIGNATURE = new Uint8Array(0);
/** A P-256 key nobody holds, verified against when the user has no certificate; made at first use. */
let standInKey: KeyObject | undefined;
const keyNobodyHolds = (): KeyObject => (standInKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);

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

  // Lookup and verification run whatever failed already; only the verdict below combines them.
  const stored = await deps.certificates.find(password.user?.id ?? UNKNOWN_USER_ID);
  const key = stored === undefined ? keyNobodyHolds() : deps.publicKeys.get(stored.sha256, stored.der);
  const signed = verifies(key, nonce.status === 'ok' ? nonce.nonce : UNUSABLE_NONCE, input.signature ?? NO_SIGNATURE);
  const inWindow = stored !== undefined && stored.notBefore.getTime() <= now.getTime() && now.getTime() <= stored.notAfter.getTime();

  if (password.user === null || !password.ok || nonce.status !== 'ok' || input.signature === null || !inWindow || !signed) throw authFailed();
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

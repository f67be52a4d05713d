/**
 * Password hashing for the example's users: scrypt from node:crypto with OWASP's parameters
 * (N=2^17, r=8, p=1). Stored as `scrypt$N$r$p$<salt b64>$<hash b64>`, so that a later change
 * of cost still verifies old hashes. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet: N=2^17 (128 MiB with r=8), r=8, p=1. */
export const OWASP_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Upper bounds for parameters read back from the database. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
  /** The cost of one `verify`, spent for a username that does not exist. */
  dummyVerify(password: string): Promise<void>;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below OWASP's 128 MiB.
    maxmem: 2 * 128 * cost.N * cost.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * A scrypt hasher. The default cost is for production; tests and benchmarks pass a cheap
 * one (e.g. N=2^10) so that hashing does not dominate what they measure.
 */
export function createScryptHasher(cost: ScryptCost = OWASP_SCRYPT): PasswordHasher {
  if (!Number.isSafeInteger(cost.N) || cost.N < 2 || (cost.N & (cost.N - 1)) !== 0 || cost.N > MAX_N) throw new RangeError('scrypt N must be a power of two up to 2^20');
  const dummy = { salt: randomBytes(SALT_BYTES) };
  return {
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      const key = await derive(password, salt, cost);
      return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(stored, password) {
      const parsed = parseStored(stored);
      if (parsed === null) return false;
      const key = await derive(password, parsed.salt, parsed.cost);
      return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
    },
    async dummyVerify(password) {
      await derive(password, dummy.salt, cost);
    },
  };
}

function parseStored(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!Number.isSafeInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return null;
  if (!Number.isSafeInteger(r) || r < 1 || r > MAX_R || !Number.isSafeInteger(p) || p < 1 || p > MAX_P) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const hash = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || hash.length !== HASH_BYTES) return null;
  return { cost: { N, r, p }, salt, hash };
}

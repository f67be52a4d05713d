/**
 * Fixtures of the login bench (login.bench.ts): a cheap password hasher, enrolled users, and
 * logins signed in advance, so that neither password hashing nor ECDSA signing is in the
 * timed loop: what is measured is the server's work for one login.
 */
import { createHash, randomBytes, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createSelfSignedCertificate, generateKeyPair } from '@ecp/core';
import type { Kysely } from 'kysely';
import type { EcpDecorator, EcpTables } from '../src/index.js';

/** The example app's hasher interface (examples/app/src/passwords.ts), restated to keep this file standalone. */
export interface BenchPasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
  dummyVerify(password: string): Promise<void>;
}

/**
 * Salted SHA-256: a few microseconds, for benchmarks only (never for real passwords; the
 * example app uses scrypt at OWASP's cost, ~100 ms, which would drown everything else).
 * Subject and baseline both call `verify`, so hashing adds the same cost to both sides.
 */
export function cheapBenchHasher(): BenchPasswordHasher {
  const digest = (salt: Buffer, password: string): Buffer => createHash('sha256').update(salt).update(password, 'utf8').digest();
  return {
    async hash(password) {
      const salt = randomBytes(16);
      return `bench-sha256$${salt.toString('base64')}$${digest(salt, password).toString('base64')}`;
    },
    async verify(stored, password) {
      const [scheme, salt, hash] = stored.split('$');
      if (scheme !== 'bench-sha256' || salt === undefined || hash === undefined) return false;
      const expected = Buffer.from(hash, 'base64');
      const actual = digest(Buffer.from(salt, 'base64'), password);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
    async dummyVerify(password) {
      digest(Buffer.alloc(16), password);
    },
  };
}

export interface BenchUser {
  username: string;
  password: string;
  key: KeyObject;
}

/**
 * `count` users, each with a P-256 key and a stored certificate. `createUser` writes the
 * application's user row (the example's UserStore) and returns its id.
 */
export async function enrolBenchUsers(
  ecp: EcpDecorator,
  count: number,
  createUser: (username: string, password: string) => Promise<string>,
): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++) {
    const username = `bench-user-${i}`;
    const password = `bench-password-${i}`;
    const { privateKey } = generateKeyPair();
    const id = await createUser(username, password);
    await ecp.saveCertificate(id, createSelfSignedCertificate({ privateKey, subject: { CN: username }, days: 30 }));
    users.push({ username, password, key: privateKey });
  }
  return users;
}

const SEED_CHUNK = 2_000;

/** Login bodies whose nonces were inserted and signed before the timed rounds. */
export class PresignedLogins {
  readonly #bodies: string[];
  #next = 0;

  private constructor(bodies: string[]) {
    this.#bodies = bodies;
  }

  /**
   * `count` fresh nonces in `ecp_nonces` (rows shaped as `NonceStore.issue` makes them), each
   * signed by one of `users` in turn, as JSON login bodies.
   */
  static async create(db: Kysely<EcpTables>, users: readonly BenchUser[], count: number, lifetimeMs: number): Promise<PresignedLogins> {
    const bodies: string[] = [];
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + lifetimeMs);
    for (let start = 0; start < count; start += SEED_CHUNK) {
      const rows = Array.from({ length: Math.min(SEED_CHUNK, count - start) }, () => ({
        id: randomBytes(16).toString('base64url'),
        nonce: randomBytes(32).toString('hex'),
        created_at: createdAt,
        expires_at: expiresAt,
      }));
      await db.insertInto('ecp_nonces').values(rows).execute();
      for (const row of rows) {
        const user = users[bodies.length % users.length]!;
        const signature = sign('sha256', Buffer.from(row.nonce, 'utf8'), user.key).toString('hex');
        bodies.push(JSON.stringify({ username: user.username, password: user.password, nonce_id: row.id, signature }));
      }
    }
    return new PresignedLogins(bodies);
  }

  /** True once a load asked for more bodies than were made (its requests then failed). */
  get exhausted(): boolean {
    return this.#next > this.#bodies.length;
  }

  /** The next unused body; throws when all are used (the load counts that as a failed request). */
  next = (): string => {
    const body = this.#bodies[this.#next++];
    if (body === undefined) throw new Error('pre-signed logins used up');
    return body;
  };
}

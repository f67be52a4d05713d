/**
 * An in-memory user adapter for the plugin tests. Passwords are hashed with scrypt at a
 * deliberately cheap cost (N=2^10): for tests only; the example app uses N=2^17.
 */
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { EcpUser, EcpUserAdapter } from '../../src/index.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: { N: number }) => Promise<Buffer>;
const TEST_COST = { N: 1024 };

interface StoredUser extends EcpUser {
  salt: Buffer;
  hash: Buffer;
}

export class TestUsers implements EcpUserAdapter {
  readonly #byName = new Map<string, StoredUser>();
  readonly #dummySalt = randomBytes(16);
  /** How many password checks ran, real or dummy (tests assert that unknown users cost one too). */
  passwordChecks = 0;

  async add(username: string, password: string): Promise<EcpUser> {
    const salt = randomBytes(16);
    const user: StoredUser = { id: randomUUID(), username, salt, hash: await scryptAsync(password, salt, 32, TEST_COST) };
    this.#byName.set(username, user);
    return { id: user.id, username };
  }

  has(username: string): boolean {
    return this.#byName.has(username);
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    return this.#byName.get(username) ?? null;
  }

  async verifyPassword(user: EcpUser, password: string): Promise<boolean> {
    this.passwordChecks += 1;
    const stored = this.#byName.get(user.username);
    if (stored === undefined) return false;
    return timingSafeEqual(await scryptAsync(password, stored.salt, 32, TEST_COST), stored.hash);
  }

  async dummyPasswordCheck(password: string): Promise<void> {
    this.passwordChecks += 1;
    await scryptAsync(password, this.#dummySalt, 32, TEST_COST);
  }
}

/**
 * The example's users table and the adapter the plugin reads it through. The table is the
 * application's (not the plugin's): the plugin only needs "find by username" and "check
 * this password", so any existing user model fits.
 */
import { randomUUID } from 'node:crypto';
import { PrecompiledQuery, type EcpTables, type EcpUser, type EcpUserAdapter } from '@ecp/fastify';
import type { ColumnType, Kysely } from 'kysely';
import type { PasswordHasher } from './passwords.js';

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A type alias (not an interface): `withTables<AppTables>()` wants an index-signature-compatible type. */
export type AppTables = {
  app_users: UsersTable;
};

/** The whole database as the application sees it: the plugin's tables and its own. */
export type AppView = Kysely<EcpTables & AppTables>;

export interface AppUser extends EcpUser {
  passwordHash: string;
}

export class UserStore implements EcpUserAdapter<AppUser> {
  readonly #hasher: PasswordHasher;
  /** Every login looks its user up, so the SELECT is compiled once (only the username changes). */
  readonly #selectByUsername: PrecompiledQuery<[username: string], { id: string; username: string; password_hash: string }>;

  constructor(db: AppView, hasher: PasswordHasher) {
    this.#hasher = hasher;
    this.#selectByUsername = new PrecompiledQuery(db, 'UserStore: the compiled user SELECT', ['\u0000username'], (username) =>
      db.selectFrom('app_users').select(['id', 'username', 'password_hash']).where('username', '=', username),
    );
  }

  async findByUsername(username: string): Promise<AppUser | null> {
    const row = await this.#selectByUsername.takeFirst(username);
    return row === undefined ? null : { id: row.id, username: row.username, passwordHash: row.password_hash };
  }

  verifyPassword(user: AppUser, password: string): Promise<boolean> {
    return this.#hasher.verify(user.passwordHash, password);
  }

  dummyPasswordCheck(password: string): Promise<void> {
    return this.#hasher.dummyVerify(password);
  }

  /**
   * Inserts a user through `db` (the registration's transaction); null when the username is
   * taken, decided by the unique index so that two concurrent registrations cannot both win.
   */
  static async create(db: AppView, username: string, passwordHash: string): Promise<EcpUser | null> {
    const row = await db
      .insertInto('app_users')
      .values({ id: randomUUID(), username, password_hash: passwordHash })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returning(['id', 'username'])
      .executeTakeFirst();
    return row ?? null;
  }
}

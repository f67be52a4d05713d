/**
 * Accepted client certificates, so that a client sending the same certificate on every
 * request pays for path validation (and the user lookup) once, not per request.
 *
 * Keyed by the SHA-256 of the certificate's DER: a hit needs the exact bytes that were
 * validated. An entry never outlives the certificates of its path (the earliest notAfter),
 * the configured TTL, or the revocation data it was checked against: the owner clears the
 * whole cache whenever CRLs or the denylist change (see `ClientCertificateAuth`).
 * Least-recently-used entries are evicted past `maxEntries`, so memory stays bounded
 * whatever certificates clients present.
 *
 * Aliases map a header value (as the proxy wrote it) to the key of the certificate it
 * decodes to. Decoding is a pure function of the value, so an alias hit is the same answer
 * as decoding and hashing again, without the work: what keeps a guarded route near the speed
 * of an unguarded one. Aliases are bounded like entries and cleared with them.
 */

export interface AcceptedCertificateCacheOptions {
  /** Entries kept at most (default 10 000). */
  maxEntries?: number;
  /** Longest time an entry is believed, in milliseconds (default 5 minutes). */
  ttlMs?: number;
}

export const CACHE_DEFAULTS = { maxEntries: 10_000, ttlMs: 5 * 60 * 1000 } as const;

interface Entry<V> {
  value: V;
  /** Epoch milliseconds after which the entry is gone. */
  expiresAt: number;
}

export class AcceptedCertificateCache<V> {
  readonly maxEntries: number;
  readonly ttlMs: number;
  // A Map iterates in insertion order; re-inserting on a hit makes its first key the least recently used.
  readonly #entries = new Map<string, Entry<V>>();
  readonly #aliases = new Map<string, string>();

  constructor(options: AcceptedCertificateCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? CACHE_DEFAULTS.maxEntries;
    this.ttlMs = options.ttlMs ?? CACHE_DEFAULTS.ttlMs;
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) throw new TypeError('cache.maxEntries must be a positive integer');
    if (!Number.isSafeInteger(this.ttlMs) || this.ttlMs < 1) throw new TypeError('cache.ttlMs must be a positive integer (milliseconds)');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key` if it is still believed at `now` (epoch ms). */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Remembers `value` until the earlier of `now + ttlMs` and `notAfter` (epoch ms: the last
   * instant at which every certificate of the path, and the revocation data, is valid).
   */
  set(key: string, value: V, now: number, notAfter: number): void {
    const expiresAt = Math.min(now + this.ttlMs, notAfter + 1);
    if (!(expiresAt > now)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** The value of the certificate `alias` decodes to, if that certificate is cached and believed at `now`. */
  getByAlias(alias: string, now: number): V | undefined {
    const key = this.#aliases.get(alias);
    if (key === undefined) return undefined;
    const value = this.get(key, now);
    if (value === undefined) this.#aliases.delete(alias);
    return value;
  }

  /** Records that the header value `alias` decodes to the certificate cached under `key`. */
  addAlias(alias: string, key: string): void {
    if (!this.#entries.has(key)) return;
    this.#aliases.delete(alias);
    this.#aliases.set(alias, key);
    while (this.#aliases.size > this.maxEntries) {
      const oldest = this.#aliases.keys().next().value as string;
      this.#aliases.delete(oldest);
    }
  }

  /** Forgets every entry and alias (revocation data changed). */
  clear(): void {
    this.#entries.clear();
    this.#aliases.clear();
  }
}

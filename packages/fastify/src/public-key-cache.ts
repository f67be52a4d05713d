/**
 * Prepared public keys of stored certificates, keyed by the certificate's SHA-256.
 * Building a KeyObject from a certificate costs more than the signature check itself
 * (MEASURED.md: ~2 100 verifies/s rebuilding it, ~7 800/s with a prepared key), so each
 * certificate is parsed once. A replaced certificate has another hash, so no invalidation
 * is needed; the size bound keeps memory flat however many users log in.
 */
import type { KeyObject } from 'node:crypto';
import { importPublicKey, parseCertificate } from '@ecp/core';

export const DEFAULT_PUBLIC_KEY_CACHE_SIZE = 10_000;

export class PublicKeyCache {
  readonly #keys = new Map<string, KeyObject>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_PUBLIC_KEY_CACHE_SIZE) {
    this.#maxEntries = maxEntries;
  }

  /** The public key of the certificate `der` whose SHA-256 (hex) is `sha256`. */
  get(sha256: string, der: Uint8Array): KeyObject {
    const cached = this.#keys.get(sha256);
    if (cached !== undefined) {
      // Re-insert: Map iteration order then makes the oldest entry the least recently used.
      this.#keys.delete(sha256);
      this.#keys.set(sha256, cached);
      return cached;
    }
    const key = importPublicKey(parseCertificate(der).publicKey);
    if (this.#keys.size >= this.#maxEntries) {
      const oldest = this.#keys.keys().next();
      if (oldest.done !== true) this.#keys.delete(oldest.value);
    }
    this.#keys.set(sha256, key);
    return key;
  }

  get size(): number {
    return this.#keys.size;
  }
}

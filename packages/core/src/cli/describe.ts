/** How the CLI writes the values it prints: key types, times. */
import type { PublicKeyInfo } from '../x509/public-key.js';

/** `EC P-256`, `RSA 2048`, `Ed25519`: the key type as `openssl` users read it. */
export function keyTypeLabel(key: PublicKeyInfo): string {
  if (key.algorithm === 'EC') return `EC ${key.curve ?? 'unknown curve'}`;
  if ((key.algorithm === 'RSA' || key.algorithm === 'RSA-PSS') && key.bits !== undefined) return `${key.algorithm} ${key.bits}`;
  return key.algorithm;
}

/** ISO 8601 in UTC to the second (certificate times have no fractions): `2026-01-31T12:00:00Z`. */
export const isoTime = (date: Date): string => date.toISOString().replace(/\.000Z$/, 'Z');

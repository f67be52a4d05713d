/**
 * Progress of the deliberately slow key derivation. WebCrypto's PBKDF2 cannot report
 * progress, so what a page can show is the phase: the backend is wrapped to announce when
 * the derivation starts and ends.
 */
import type { KeyFileCrypto } from '@ecp/core/portable';

export type KeyFilePhase = 'deriving-key' | 'decrypting' | 'encrypting' | 'done';

export type ProgressCallback = (phase: KeyFilePhase) => void;

/** `backend` with `onProgress(start)` before and `onProgress(after)` after every PBKDF2 run. */
export function reportingProgress(
  backend: KeyFileCrypto,
  onProgress: ProgressCallback | undefined,
  after: 'decrypting' | 'encrypting',
): KeyFileCrypto {
  if (!onProgress) return backend;
  return {
    ...backend,
    async pbkdf2(...args) {
      onProgress('deriving-key');
      const key = await backend.pbkdf2(...args);
      onProgress(after);
      return key;
    },
  };
}

/**
 * Every bound and default of the key-file code in one dependency-free module, so that code
 * needing only a number (a size check before reading a Blob) does not pull in the parsers.
 */

/** Bound on a key file: real ones are 0.2–10 KB (a .p12 with a long chain). */
export const MAX_KEY_FILE_SIZE = 256 * 1024;

/** What ecp writes: 600 000 iterations (OWASP 2023 for PBKDF2-HMAC-SHA256). */
export const DEFAULT_KEY_FILE_ITERATIONS = 600_000;

/** Most PBKDF2 iterations a file may ask for (and ecp will write). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** OpenSSL 3's PKCS12_DEFAULT_ITER, for both the encryption and the MAC. */
export const PKCS12_DEFAULT_ITERATIONS = 2048;

/**
 * Bound on PKCS#12 MAC iterations. Each one is a separate digest call (an await in the
 * browser), so the bound is lower than PBKDF2's; real files use 1 to 100 000 (OpenSSL 2048).
 */
export const MAX_MAC_ITERATIONS = 1_000_000;

/** Longest passphrase accepted (characters): far beyond any typed one, short of a DoS. */
export const MAX_PASSPHRASE_LENGTH = 1024;

/**
 * The options `ecp keygen` and `ecp ca` share for the certificates and key files they
 * write: the subject CN, the lifetime in days and the PBKDF2 iteration count.
 */
import { DEFAULT_KEY_FILE_ITERATIONS } from '../keys/encrypted-pkcs8.js';
import { MAX_PBKDF2_ITERATIONS } from '../keys/pbes2.js';
import { PASSPHRASE_OPTIONS, parseIntegerOption, requireOption } from './args.js';
import { UsageError } from './errors.js';
import { checkOutputPaths } from './files.js';

/** X.520 ub-common-name: a CN longer than this is refused by strict parsers. */
const MAX_COMMON_NAME_LENGTH = 64;
const MAX_DAYS = 36_500;
/** Below this, a key file is an offline-cracking gift; tests and experiments may go lower. */
const MIN_ITERATIONS = 1_000;

export const DAY_MS = 86_400_000;

/** The options of every command that writes a new key and certificate (`keygen`, `ca init`, `ca issue`). */
export const NEW_KEY_OPTIONS = {
  cn: { type: 'string' },
  days: { type: 'string' },
  'out-key': { type: 'string' },
  'out-cert': { type: 'string' },
  iterations: { type: 'string' },
  force: { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

export function checkCommonName(cn: string): string {
  if ([...cn].length > MAX_COMMON_NAME_LENGTH) throw new UsageError(`--cn may be at most ${MAX_COMMON_NAME_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(cn)) throw new UsageError('--cn may not contain control characters');
  if (cn.trim() !== cn) throw new UsageError('--cn may not start or end with white space');
  return cn;
}

/** `--days`, from 1 to 100 years, or `fallback` when not given. */
export const daysOf = (value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : parseIntegerOption(value, 'days', 1, MAX_DAYS);

/** `--iterations` of a new key file, or the 600 000 default. */
export const iterationsOf = (value: string | undefined): number =>
  value === undefined ? DEFAULT_KEY_FILE_ITERATIONS : parseIntegerOption(value, 'iterations', MIN_ITERATIONS, MAX_PBKDF2_ITERATIONS);

export interface CredentialOutputs {
  keyPath: string;
  certPath: string;
  p12Path: string | undefined;
}

/** `--out-key`, `--out-cert` and `--p12` of a command that makes new credentials. */
export function credentialOutputs(values: { 'out-key'?: string; 'out-cert'?: string; p12?: string }): CredentialOutputs {
  const keyPath = requireOption(values['out-key'], 'out-key');
  const certPath = requireOption(values['out-cert'], 'out-cert');
  const p12Path = values.p12;
  if (p12Path === '') throw new UsageError('--p12 may not be empty');
  return { keyPath, certPath, p12Path };
}

/**
 * Refuses outputs that exist (unless `force`) before any passphrase is asked for: nothing
 * is more annoying than typing it twice for nothing.
 */
export async function checkCredentialOutputs({ keyPath, certPath, p12Path }: CredentialOutputs, force: boolean): Promise<void> {
  await checkOutputPaths(
    [
      { path: keyPath, what: 'private key' },
      { path: certPath, what: 'certificate' },
      ...(p12Path ? [{ path: p12Path, what: 'PKCS#12 file' }] : []),
    ],
    force,
  );
}

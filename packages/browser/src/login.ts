/**
 * The whole login of contract §1 from a page: key file → challenge → signature → POST /login.
 *
 * The key file is read first, before a challenge is asked for: a mistyped passphrase then
 * costs no challenge (they are rate-limited, 10 a minute by default) and the nonce is used
 * well inside its lifetime.
 */
import { MalformedInputError } from '@ecp/core/portable';
import { LoginFailedError } from './http-errors.js';
import { endpoint, requestJson, stringField, type FetchFunction } from './http.js';
import type { KeyFilePhase } from './progress.js';
import { readPrivateKey, type KeyFileInput } from './read-private-key.js';
import { signChallenge } from './sign.js';

/** Where a login is: the key-file phases, then the three network/signing steps, then 'done'. */
export type LoginPhase = Exclude<KeyFilePhase, 'encrypting'> | 'requesting-challenge' | 'signing' | 'logging-in';

export interface LoginOptions {
  /** Origin (and path) of the application, e.g. `https://example.com`; '' or absent: this page's origin. */
  baseUrl?: string;
  username: string;
  password: string;
  /** The key file the user picked (`private_key.pem`, `credentials.p12`...), or a key already read. */
  keyFile: KeyFileInput | CryptoKey;
  /** The key file's passphrase ('' for a file without one); not needed when `keyFile` is a CryptoKey. */
  passphrase?: string;
  /** Where the plugin's routes are mounted (default `/ecp`). */
  prefix?: string;
  /** The application's login route (default `/login`). */
  loginPath?: string;
  /** Default: the global fetch. */
  fetch?: FetchFunction;
  onProgress?: (phase: LoginPhase) => void;
}

export interface LoginResult {
  username: string;
}

const failed = (code?: string): LoginFailedError => new LoginFailedError(code);

/**
 * Logs in; the browser keeps the session cookie the server sets. Throws
 * {@link LoginFailedError} for the uniform 401, RateLimitedError, ServerError, NetworkError,
 * or the key-file errors of `readPrivateKey` (WrongPassphraseError, LegacyPkcs12Error...).
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const { baseUrl, keyFile, passphrase, prefix = '/ecp', onProgress = () => {} } = options;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));

  let key: CryptoKey;
  if (typeof CryptoKey !== 'undefined' && keyFile instanceof CryptoKey) {
    key = keyFile;
  } else {
    if (passphrase === undefined) throw new MalformedInputError('login needs the passphrase of the key file');
    // readPrivateKey's own 'done' is not the end of the login.
    key = await readPrivateKey(keyFile as KeyFileInput, passphrase, { onProgress: (phase) => phase !== 'done' && onProgress(phase as LoginPhase) });
  }

  onProgress('requesting-challenge');
  const challenge = await requestJson(fetchFunction, endpoint(baseUrl, `${prefix}/challenge`), undefined, failed);
  const nonce = stringField(challenge, 'nonce');
  // nonce_id is opaque: echoed back exactly as received.
  const nonceId = stringField(challenge, 'nonce_id');

  onProgress('signing');
  const signature = await signChallenge(key, nonce);

  onProgress('logging-in');
  const answer = await requestJson(
    fetchFunction,
    endpoint(baseUrl, options.loginPath ?? '/login'),
    { username: options.username, password: options.password, nonce_id: nonceId, signature },
    failed,
  );
  onProgress('done');
  return { username: stringField(answer, 'username') };
}

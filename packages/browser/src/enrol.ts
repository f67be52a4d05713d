/**
 * Client-side enrolment end to end: a key made in the page, `POST /register` with its CSR,
 * and the files for the user to save. The private key never leaves the page unencrypted, and
 * never leaves it at all except as the file the user saves.
 */
import { KeyCertificateMismatchError, bytesEqual, readCertificateKey } from '@ecp/core/portable';
import { generateCredentials, type GenerateCredentialsOptions } from './credentials.js';
import { RequestRejectedError } from './http-errors.js';
import { endpoint, requestJson, stringField, type FetchFunction } from './http.js';
import { buildPkcs12 } from './pkcs12.js';
import type { KeyFilePhase } from './progress.js';

export type EnrolPhase = KeyFilePhase | 'registering';

export interface EnrolOptions extends Omit<GenerateCredentialsOptions, 'onProgress'> {
  /** Origin (and path) of the application; '' or absent: this page's origin. */
  baseUrl?: string;
  /** The account password the application asks for. */
  password: string;
  /** The application's registration route (default `/register`). */
  registerPath?: string;
  /** Also build `credentials.p12` (key + certificate) once the certificate arrives. */
  pkcs12?: boolean;
  fetch?: FetchFunction;
  /** Key file written ('deriving-key', 'encrypting'), 'registering', then the .p12 ('deriving-key', 'decrypting'), 'done'. */
  onProgress?: (phase: EnrolPhase) => void;
}

export interface EnrolResult {
  username: string;
  /** The certificate the server issued (CN = username, for the key made here). */
  certificatePem: string;
  /** PEM `ENCRYPTED PRIVATE KEY`: the user must save it, the server has no copy. */
  privateKeyPem: string;
  /** With `pkcs12: true`: the .p12 protected by the same passphrase. */
  pkcs12?: Uint8Array<ArrayBuffer>;
  /** The new private key, non-extractable, ready for `login({ keyFile: key })`. */
  key: CryptoKey;
}

/**
 * Registers `username` with a key made here. Throws UsernameTakenError (409),
 * RequestRejectedError (400), RateLimitedError, ServerError, NetworkError; and
 * KeyCertificateMismatchError if the server's certificate is not for the key made here.
 */
export async function enrol(options: EnrolOptions): Promise<EnrolResult> {
  const { baseUrl, username, password, passphrase, registerPath = '/register', onProgress } = options;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const progress = (phase: KeyFilePhase): void => {
    if (phase !== 'done') onProgress?.(phase);
  };
  const credentials = await generateCredentials({
    username,
    passphrase,
    ...(options.iterations !== undefined && { iterations: options.iterations }),
    onProgress: progress,
  });

  onProgress?.('registering');
  const answer = await requestJson(
    fetchFunction,
    endpoint(baseUrl, registerPath),
    { username, password, csr: credentials.csrPem },
    (code) => new RequestRejectedError('the server refused the registration (HTTP 401)', 401, code),
  );
  const certificatePem = stringField(answer, 'certificate');
  // Only the key matters here (the server vouches for the rest, and this page never uses it):
  // the certificate's structure is checked and its key read, not every field decoded.
  const { p256Point } = readCertificateKey(certificatePem);
  const point = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', credentials.publicKey));
  if (!p256Point || !bytesEqual(p256Point, point)) throw new KeyCertificateMismatchError();

  const result: EnrolResult = {
    username: stringField(answer, 'username'),
    certificatePem,
    privateKeyPem: credentials.privateKeyPem,
    key: credentials.key,
  };
  if (options.pkcs12) {
    result.pkcs12 = await buildPkcs12({ privateKeyPem: credentials.privateKeyPem, passphrase, certificatePem, friendlyName: username, onProgress: progress });
  }
  onProgress?.('done');
  return result;
}

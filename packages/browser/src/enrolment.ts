/**
 * The enrolment API. Each function loads its code on first use (enrolment-chunk.ts), so that
 * the main bundle stays within its budget with what every page needs: reading key files and
 * logging in. Bundlers turn the dynamic import into a separate chunk.
 */
import type { GenerateCredentialsOptions, GeneratedCredentials } from './credentials.js';
import type { EnrolOptions, EnrolResult } from './enrol.js';
import type { BuildPkcs12Options } from './pkcs12.js';

const load = () => import('./enrolment-chunk.js');

/**
 * A new P-256 key made in the page: its encrypted `private_key.pem` (PBES2, 600 000
 * iterations), a CSR (CN = username) for `POST /register`, and the key as a non-extractable
 * CryptoKey. See credentials.ts.
 */
export const generateCredentials = async (options: GenerateCredentialsOptions): Promise<GeneratedCredentials> =>
  (await load()).generateCredentials(options);

/** generateCredentials, then `POST /register` with the CSR; the files to offer for saving. See enrol.ts. */
export const enrol = async (options: EnrolOptions): Promise<EnrolResult> => (await load()).enrol(options);

/** `credentials.p12` from the encrypted key file and the certificate the server issued. See pkcs12.ts. */
export const buildPkcs12 = async (options: BuildPkcs12Options): Promise<Uint8Array<ArrayBuffer>> => (await load()).buildPkcs12(options);

/** What `POST /register` accepts: username + password, and a key passphrase or a CSR. */
import { EcpHttpError, MAX_CSR_LENGTH, MAX_PASSPHRASE_LENGTH } from '@ecp/fastify';

/** Usernames become certificate CNs and appear in URLs and logs: keep them plain. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MAX_PASSWORD_LENGTH = 1024;

export type Registration =
  | { kind: 'server'; username: string; password: string; keyPassword: string }
  | { kind: 'csr'; username: string; password: string; csr: string };

const invalid = (message: string): EcpHttpError => new EcpHttpError(400, 'ECP_BAD_REQUEST', message);

export function readRegistration(body: unknown): Registration {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { username, password, key_password: keyPassword, csr } = fields;
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw invalid('username must be 1-64 characters: letters, digits, and . _ @ - (not first)');
  }
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
    throw invalid(`password must be 1-${MAX_PASSWORD_LENGTH} characters`);
  }
  if (csr !== undefined && keyPassword !== undefined) throw invalid('send either key_password or csr, not both');
  if (csr !== undefined) {
    if (typeof csr !== 'string' || csr.length === 0 || csr.length > MAX_CSR_LENGTH) throw invalid(`csr must be a PKCS#10 PEM of at most ${MAX_CSR_LENGTH} bytes`);
    return { kind: 'csr', username, password, csr };
  }
  if (typeof keyPassword !== 'string' || keyPassword.length === 0 || keyPassword.length > MAX_PASSPHRASE_LENGTH) {
    throw invalid(`key_password must be 1-${MAX_PASSPHRASE_LENGTH} characters (or send a csr instead)`);
  }
  return { kind: 'server', username, password, keyPassword };
}

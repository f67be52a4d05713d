/**
 * Loading the files commands work on, with the file's name put in front of any error so
 * that `ecp: alice.key: the passphrase does not decrypt ...` says which file is meant.
 */
import type { KeyObject } from 'node:crypto';
import { EcpError } from '../errors.js';
import { readPrivateKey } from '../keys/node-keys.js';
import { PassphraseRequiredError } from '../keys/passphrase.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import { readInputFile } from './files.js';
import type { CliIo, PassphraseSource } from './io.js';

/** Re-throws an EcpError with `path: ` in front of its message; anything else unchanged. */
export function inFile(path: string, error: unknown): never {
  if (error instanceof EcpError && !error.message.startsWith(`${path}: `)) {
    throw new EcpError(`${path}: ${error.message}`, error.code, { cause: error });
  }
  throw error;
}

/**
 * A P-256 private key from any key file of contract §2. The passphrase is asked for only
 * when needed: from the source the user named, or else only once the file turns out to be
 * encrypted (so an unencrypted key needs no option and no prompt).
 */
export async function loadPrivateKey(path: string, source: PassphraseSource, io: CliIo): Promise<KeyObject> {
  const bytes = await readInputFile(path, 'key file', 256 * 1024);
  const purpose = `the key file ${path}`;
  const given = source.passphraseEnv !== undefined || source.passphraseFile !== undefined;
  const read = async (passphrase: string | undefined): Promise<KeyObject> => {
    try {
      return await readPrivateKey(bytes, passphrase);
    } catch (error) {
      return inFile(path, error);
    }
  };
  if (given) return read(await io.readPassphrase({ ...source, purpose }));
  try {
    return await readPrivateKey(bytes);
  } catch (error) {
    if (!(error instanceof PassphraseRequiredError)) return inFile(path, error);
  }
  return read(await io.readPassphrase({ ...source, purpose }));
}

export async function loadCertificate(path: string): Promise<Certificate> {
  const bytes = await readInputFile(path, 'certificate');
  try {
    return parseCertificate(bytes);
  } catch (error) {
    return inFile(path, error);
  }
}

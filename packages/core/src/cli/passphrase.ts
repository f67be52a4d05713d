/**
 * Where a passphrase comes from: `--passphrase-env NAME`, `--passphrase-file PATH`, or a
 * no-echo prompt on the terminal, never from an argument value (which `ps` and shell history
 * would show). A passphrase for a new file is asked twice and may not be empty.
 */
import { EcpError } from '../errors.js';
import { MAX_PASSPHRASE_LENGTH } from '../keys/passphrase.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import type { PassphraseRequest } from './io.js';
import { promptHidden, type Terminal } from './prompt.js';

/** A passphrase file holds one line; anything much longer is not one. */
const MAX_PASSPHRASE_FILE_SIZE = 64 * 1024;

export interface PassphraseEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The terminal to prompt on; undefined when stdin is not a TTY. */
  readonly terminal: Terminal | undefined;
}

export const NO_PASSPHRASE_SOURCE_ADVICE = 'give it with --passphrase-env NAME or --passphrase-file PATH (or run ecp on a terminal to be prompted)';

function checkLength(passphrase: string, from: string): string {
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new EcpError(`the passphrase from ${from} is longer than ${MAX_PASSPHRASE_LENGTH} characters`);
  }
  return passphrase;
}

async function fromFile(path: string): Promise<string> {
  const bytes = await readInputFile(path, 'passphrase file', MAX_PASSPHRASE_FILE_SIZE);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EcpError(`the passphrase file ${path} is not UTF-8 text`);
  }
  // The first line, without its line ending (LF or CRLF), as `openssl -passin file:` reads it.
  const firstLine = text.split('\n', 1)[0]!;
  return checkLength(firstLine.endsWith('\r') ? firstLine.slice(0, -1) : firstLine, `the file ${path}`);
}

function fromEnvironment(name: string, env: PassphraseEnvironment['env']): string {
  const value = env[name];
  if (value === undefined) throw new EcpError(`the environment variable ${name} (named by --passphrase-env) is not set`);
  return checkLength(value, `the environment variable ${name}`);
}

async function fromTerminal(request: PassphraseRequest, terminal: Terminal | undefined): Promise<string> {
  if (!terminal) throw new EcpError(`a passphrase is needed for ${request.purpose}: ${NO_PASSPHRASE_SOURCE_ADVICE}`);
  const first = await promptHidden(terminal, `Passphrase for ${request.purpose}: `);
  if (!request.confirm) return first;
  if (first === '') throw new EcpError('the passphrase may not be empty');
  const second = await promptHidden(terminal, 'Enter the same passphrase again: ');
  if (first !== second) throw new EcpError('the two passphrases differ');
  return first;
}

export async function resolvePassphrase(request: PassphraseRequest, environment: PassphraseEnvironment): Promise<string> {
  const { passphraseEnv, passphraseFile } = request;
  if (passphraseEnv !== undefined && passphraseFile !== undefined) {
    throw new UsageError('give either --passphrase-env or --passphrase-file, not both');
  }
  let passphrase: string;
  if (passphraseEnv !== undefined) passphrase = fromEnvironment(passphraseEnv, environment.env);
  else if (passphraseFile !== undefined) passphrase = await fromFile(passphraseFile);
  else return fromTerminal(request, environment.terminal);
  if (request.confirm && passphrase === '') {
    throw new EcpError(`the passphrase for ${request.purpose} is empty: a new key file needs a non-empty passphrase`);
  }
  return passphrase;
}

/**
 * Key-file errors beyond the shared tree in ../errors.ts. Both keep existing codes, so
 * callers that switch on `code` need nothing new.
 */
import { KeyFileError, MalformedInputError } from '../errors.js';

/** An encrypted key file was given without a passphrase. */
export class PassphraseRequiredError extends KeyFileError {
  static override name = 'PassphraseRequiredError';
  constructor() {
    super(
      'this key file is encrypted and needs its passphrase',
      'ECP_WRONG_PASSPHRASE',
      'Enter the passphrase you chose when the file was created',
    );
  }
}

/**
 * A key file that looks like one but breaks its format (truncated download, damaged copy):
 * the parser's detail plus what to do about it.
 */
export class DamagedKeyFileError extends MalformedInputError {
  static override name = 'DamagedKeyFileError';
  readonly advice = 'Download or copy the file again, or choose the private_key.pem or credentials.p12 saved at registration';
  constructor(cause: MalformedInputError) {
    super(`the key file is damaged or incomplete (${cause.message})`, { cause });
    this.message += `. ${this.advice}`;
  }
}

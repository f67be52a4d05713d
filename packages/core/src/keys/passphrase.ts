/**
 * How a passphrase becomes bytes in each format.
 *
 * PBES2 (RFC 8018) feeds PBKDF2 the UTF-8 bytes as typed (no normalisation: OpenSSL and
 * Python `cryptography` do none, so neither may we). The PKCS#12 MAC key derivation
 * (RFC 7292 appendix B.1) uses a BMPString: UTF-16BE with a two-byte 00 00 terminator.
 */
import { utf8 } from '../bytes.js';
import { KeyFileError } from '../errors.js';
import { MAX_PASSPHRASE_LENGTH } from './limits.js';

// Also exported from here: the CLI imports it alongside the passphrase helpers.
export { PassphraseRequiredError } from './key-file-errors.js';

export { MAX_PASSPHRASE_LENGTH };

function checkLength(passphrase: string): void {
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new KeyFileError(
      `the passphrase is longer than ${MAX_PASSPHRASE_LENGTH} characters`,
      'ECP_WRONG_PASSPHRASE',
      'Check that the passphrase field holds the passphrase and nothing else',
    );
  }
}

/** The PBES2 password: UTF-8 bytes (an empty passphrase is zero bytes). */
export function pbes2Password(passphrase: string): Uint8Array {
  checkLength(passphrase);
  return utf8(passphrase);
}

/** The PKCS#12 MAC password: UTF-16BE code units plus the 00 00 terminator ("" → 00 00). */
export function bmpPassword(passphrase: string): Uint8Array {
  checkLength(passphrase);
  const out = new Uint8Array(passphrase.length * 2 + 2);
  for (let i = 0; i < passphrase.length; i++) {
    const unit = passphrase.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

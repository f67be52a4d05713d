/**
 * `ecp sign`: the login factor by hand. Signs the message (a challenge nonce) with the user's
 * key and prints the hex DER signature the login form takes (contract §1).
 */
import { toHex } from '../../bytes.js';
import { signMessage } from '../../ecdsa/sign.js';
import { PASSPHRASE_OPTIONS, PASSPHRASE_USAGE, parseCommandArgs, passphraseSource, requireOption } from '../args.js';
import type { CliIo } from '../io.js';
import { loadPrivateKey } from '../key-input.js';
import { MESSAGE_OPTIONS, MESSAGE_USAGE, readMessage } from '../message.js';

export const name = 'sign';
export const summary = 'sign a message (a login nonce) and print the hex DER signature';
export const usage = `Usage: ecp sign --key FILE --message TEXT [options]

Signs the message with ECDSA P-256 / SHA-256 and prints the signature as lower-case hex
of its DER encoding (what the login form takes). The key file may be any of: encrypted or
plain PKCS#8, SEC1 (EC PRIVATE KEY), PKCS#12; PEM or DER. A passphrase is asked for only
when the file is encrypted.

Options:
  --key FILE              the private key file (required)
${MESSAGE_USAGE}
${PASSPHRASE_USAGE}
  -h, --help              show this help
`;

const OPTIONS = { key: { type: 'string' }, ...MESSAGE_OPTIONS, ...PASSPHRASE_OPTIONS } as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { options: OPTIONS });
  const keyPath = requireOption(values.key, 'key');
  const message = await readMessage(values);
  const privateKey = await loadPrivateKey(keyPath, passphraseSource(values), io);
  io.stdout.write(`${toHex(signMessage(privateKey, message))}\n`);
  return 0;
}

/**
 * `ecp verify`: checks a signature against the key of a certificate, as the server's login
 * does (contract §1: ECDSA P-256 / SHA-256, strict DER). By default only the signature is
 * checked, as the contract's command does; `--check-validity` also checks the certificate's
 * validity period now.
 */
import { fromHex } from '../../bytes.js';
import { parseDerSignature } from '../../ecdsa/signature.js';
import { verifySignature } from '../../ecdsa/verify.js';
import { CertificateExpiredError, CertificateNotYetValidError, EcpError } from '../../errors.js';
import { checkValidity } from '../../x509/validity.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { keyTypeLabel } from '../describe.js';
import type { CliIo } from '../io.js';
import { loadCertificate } from '../key-input.js';
import { MESSAGE_OPTIONS, MESSAGE_USAGE, readMessage } from '../message.js';

export const name = 'verify';
export const summary = "check a signature against a certificate's public key";
export const usage = `Usage: ecp verify --cert FILE --message TEXT --signature HEX [options]

Checks an ECDSA P-256 / SHA-256 signature (hex of its DER encoding, lower or upper case)
of the message against the public key of the certificate. Only strict DER is accepted.

Prints 'valid' (exit 0), or 'invalid: <reason>' (exit 1) where the reason is one of
  malformed_signature         not a strict DER ECDSA-Sig-Value for P-256
  bad_signature               well-formed, but not a signature of this message by this key
  certificate_expired         (with --check-validity) the certificate's notAfter has passed
  certificate_not_yet_valid   (with --check-validity) its notBefore is still to come
An unreadable certificate, a key that is not P-256, or a signature that is not hex: exit 2.

Options:
  --cert FILE             the signer's certificate, PEM or DER (required)
${MESSAGE_USAGE}
  --signature HEX         the signature (required)
  --check-validity        also require the certificate to be within its validity period now
  -h, --help              show this help
`;

const OPTIONS = {
  cert: { type: 'string' },
  ...MESSAGE_OPTIONS,
  signature: { type: 'string' },
  'check-validity': { type: 'boolean' },
} as const;

/** A DER P-256 signature is at most 72 bytes; far longer "hex" is not a signature at all. */
const MAX_SIGNATURE_HEX_LENGTH = 1024;

function parseSignatureHex(text: string): Uint8Array {
  if (text.length > MAX_SIGNATURE_HEX_LENGTH) throw new EcpError(`--signature is ${text.length} characters long: not a P-256 signature`);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    throw new EcpError('--signature is not hex: expected an even number of the characters 0-9 and a-f (the DER signature that ecp sign prints)');
  }
  return fromHex(text.toLowerCase());
}

function invalid(io: CliIo, reason: string): number {
  io.stdout.write(`invalid: ${reason}\n`);
  return 1;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { options: OPTIONS });
  const certPath = requireOption(values.cert, 'cert');
  const signature = parseSignatureHex(requireOption(values.signature, 'signature'));
  const message = await readMessage(values);
  const certificate = await loadCertificate(certPath);

  const key = certificate.publicKey;
  if (key.algorithm !== 'EC' || key.curve !== 'P-256') {
    throw new EcpError(`${certPath}: the certificate's key is ${keyTypeLabel(key)}, but ecp signatures are ECDSA P-256`);
  }
  try {
    parseDerSignature(signature, 'P-256');
  } catch (error) {
    if (error instanceof EcpError) return invalid(io, 'malformed_signature');
    throw error;
  }
  if (!verifySignature(certificate, message, signature)) return invalid(io, 'bad_signature');
  if (values['check-validity']) {
    try {
      checkValidity(certificate);
    } catch (error) {
      if (error instanceof CertificateExpiredError) return invalid(io, 'certificate_expired');
      if (error instanceof CertificateNotYetValidError) return invalid(io, 'certificate_not_yet_valid');
      throw error;
    }
  }
  io.stdout.write('valid\n');
  return 0;
}

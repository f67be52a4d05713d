/**
 * `ecp inspect FILE`: what a certificate, certificate request, key or PKCS#12 file holds,
 * detected from its content. `--json` prints one object with stable keys (README, "CLI").
 * It never prompts: an encrypted file is opened only with a passphrase source, and without
 * one the envelope (encryption parameters) is shown.
 */
import { parseCertificate } from '../../x509/certificate.js';
import { parseCsr } from '../../x509/csr.js';
import { verifyCsr } from '../../x509/csr-signing.js';
import { PASSPHRASE_OPTIONS, parseCommandArgs, passphraseSource } from '../args.js';
import { readInputFile } from '../files.js';
import type { CliIo } from '../io.js';
import { inFile } from '../key-input.js';
import { certificateReport, csrReport, type JsonObject } from '../inspect/certificate-report.js';
import { detectItems, type InspectItem } from '../inspect/detect.js';
import { encryptedPrivateKeyReport, pkcs12Report, privateKeyReport, publicKeyReport, type PassphraseProvider } from '../inspect/key-report.js';
import { renderText } from '../inspect/render-text.js';

export const name = 'inspect';
export const summary = 'show what a certificate, CSR, key or PKCS#12 file holds (--json)';
export const usage = `Usage: ecp inspect FILE [--json] [--passphrase-env NAME | --passphrase-file PATH]

Shows what FILE holds, detected from its content (PEM or DER):
  certificate   subject, issuer, serial, validity (ISO 8601, UTC), key type, signature
                algorithm, SHA-1 and SHA-256 fingerprints (AA:BB:...), extensions
  CSR           subject, key type, whether its self-signature verifies, requested extensions
  private key   format (pkcs8, encrypted-pkcs8, sec1), key type, public key fingerprints;
                for an encrypted key, its PBES2 parameters (PRF, cipher, iterations)
  public key    key type, fingerprints of its SubjectPublicKeyInfo
  PKCS#12       MAC parameters; with the passphrase, the key and the certificates
A PEM file with several blocks (a chain) shows each of them.

inspect never prompts: an encrypted key or PKCS#12 is opened only when a passphrase
source is given; without one, what can be read without decrypting is shown.

Options:
  --json                  print one JSON object (several blocks: {"type": "bundle", "items": [...]})
  --passphrase-env NAME   the passphrase of an encrypted file, from the environment variable NAME
  --passphrase-file PATH  or from the first line of the file PATH
  -h, --help              show this help
`;

const OPTIONS = { json: { type: 'boolean' }, ...PASSPHRASE_OPTIONS } as const;

async function report(item: InspectItem, passphrase: PassphraseProvider): Promise<JsonObject> {
  switch (item.kind) {
    case 'certificate':
      return certificateReport(parseCertificate(item.der));
    case 'csr': {
      const csr = parseCsr(item.der);
      let valid = true;
      try {
        verifyCsr(csr);
      } catch {
        valid = false;
      }
      return csrReport(csr, valid);
    }
    case 'public-key':
      return publicKeyReport(item.der);
    case 'encrypted-private-key':
      return encryptedPrivateKeyReport(item.der, passphrase);
    case 'pkcs12':
      return pkcs12Report(item.der, passphrase);
    case 'private-key':
      return privateKeyReport(item.input);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: OPTIONS, positionals: { min: 1, max: 1, names: 'FILE' } });
  const path = positionals[0]!;
  const source = passphraseSource(values);
  const bytes = await readInputFile(path, 'file');

  // Asked for at most once, and only when an encrypted item needs it.
  let cached: Promise<string> | undefined;
  const passphrase: PassphraseProvider = () => {
    if (source.passphraseEnv === undefined && source.passphraseFile === undefined) return Promise.resolve(undefined);
    cached ??= io.readPassphrase({ ...source, purpose: path });
    return cached;
  };

  let reports: JsonObject[];
  try {
    const items = detectItems(bytes);
    reports = [];
    for (const item of items) reports.push(await report(item, passphrase));
  } catch (error) {
    return inFile(path, error);
  }
  const output: JsonObject = reports.length === 1 ? reports[0]! : { type: 'bundle', items: reports };
  io.stdout.write(values.json ? `${JSON.stringify(output, null, 2)}\n` : renderText(output));
  return 0;
}

/**
 * `ecp keygen`: the three files of contract §2 made locally. A P-256 key pair, a self-signed
 * client certificate (CN = the username) and the key encrypted with PBES2
 * (PBKDF2-HMAC-SHA256, 600 000 iterations, AES-256-CBC); with `--p12`, also a PKCS#12 of both.
 */
import { encryptPrivateKey, generateKeyPair } from '../../keys/node-keys.js';
import { writePkcs12 } from '../../keys/node-pkcs12.js';
import { DEFAULT_KEY_FILE_ITERATIONS } from '../../keys/encrypted-pkcs8.js';
import { certificateToPem } from '../../x509/certificate.js';
import { createSelfSignedCertificate } from '../../x509/build.js';
import { fingerprint } from '../../x509/fingerprint.js';
import { PASSPHRASE_USAGE, parseCommandArgs, passphraseSource, requireOption } from '../args.js';
import { NEW_KEY_OPTIONS, checkCommonName, checkCredentialOutputs, credentialOutputs, daysOf, iterationsOf } from '../certificate-options.js';
import { isoTime } from '../describe.js';
import { writeOutputFiles, type OutputFile } from '../files.js';
import type { CliIo } from '../io.js';

export const name = 'keygen';
export const summary = 'make a P-256 key pair, a self-signed certificate and an encrypted key file';
export const usage = `Usage: ecp keygen --cn NAME --out-key FILE --out-cert FILE [options]

Makes an ECDSA P-256 key pair, a self-signed X.509 client certificate whose subject is
CN=NAME (keyUsage digitalSignature, extendedKeyUsage clientAuth), and the private key file,
encrypted (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC). Asks for the passphrase twice
on a terminal. Existing files are never replaced unless --force is given.

Options:
  --cn NAME               the certificate's common name: the username (required)
  --days N                validity of the certificate in days (default 365)
  --out-key FILE          where to write the encrypted private key, PEM (required; mode 0600)
  --out-cert FILE         where to write the certificate, PEM (required)
  --p12 FILE              also write a PKCS#12 file with the key and the certificate,
                          protected by the same passphrase (mode 0600)
  --iterations N          PBKDF2 iterations for the key file (default ${DEFAULT_KEY_FILE_ITERATIONS})
  --force                 overwrite output files that already exist
${PASSPHRASE_USAGE}
  -h, --help              show this help
`;


const OPTIONS = { ...NEW_KEY_OPTIONS, p12: { type: 'string' } } as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { options: OPTIONS });
  const commonName = checkCommonName(requireOption(values.cn, 'cn'));
  const outputs = credentialOutputs(values);
  const { keyPath, certPath, p12Path } = outputs;
  const days = daysOf(values.days, 365);
  const iterations = iterationsOf(values.iterations);
  const force = values.force ?? false;
  await checkCredentialOutputs(outputs, force);

  const passphrase = await io.readPassphrase({ ...passphraseSource(values), purpose: `the new key file ${keyPath}`, confirm: true });
  if (iterations < DEFAULT_KEY_FILE_ITERATIONS) {
    io.stderr.write(`ecp: warning: ${iterations} PBKDF2 iterations is below the ${DEFAULT_KEY_FILE_ITERATIONS} ecp uses by default\n`);
  }

  const { privateKey } = generateKeyPair();
  const certificate = createSelfSignedCertificate({ privateKey, commonName, days });
  const files: OutputFile[] = [
    { path: keyPath, what: 'private key', mode: 0o600, data: await encryptPrivateKey(privateKey, passphrase, { iterations }) },
    { path: certPath, what: 'certificate', mode: 0o644, data: certificateToPem(certificate) },
  ];
  if (p12Path) {
    files.push({ path: p12Path, what: 'PKCS#12 file', mode: 0o600, data: await writePkcs12({ privateKey, certificate, passphrase, friendlyName: commonName }) });
  }
  await writeOutputFiles(files, force);

  io.stdout.write(
    [
      `private key:  ${keyPath} (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, ${iterations} iterations, AES-256-CBC)`,
      `certificate:  ${certPath}`,
      ...(p12Path ? [`PKCS#12:      ${p12Path} (same passphrase)`] : []),
      `subject:      ${certificate.subject.toString()}`,
      `serial:       ${certificate.serialNumber}`,
      `not before:   ${isoTime(certificate.notBefore)}`,
      `not after:    ${isoTime(certificate.notAfter)}`,
      `SHA-256:      ${fingerprint(certificate, 'sha256')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

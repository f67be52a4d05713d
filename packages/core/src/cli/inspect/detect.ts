/**
 * What a file handed to `ecp inspect` holds, told from its content (never its name): PEM
 * blocks by label, DER by asking each parser in turn. The parsers are x509/'s and keys/';
 * this module only decides which one to ask.
 */
import { fromUtf8 } from '../../bytes.js';
import { EcpError, InputTooLargeError, InvalidCertificateError, MalformedInputError } from '../../errors.js';
import { parsePfx } from '../../keys/pkcs12.js';
import { parseEncryptedPrivateKeyInfo } from '../../keys/pkcs8.js';
import { decodePemBlocks, encodePem, looksLikePem } from '../../pem.js';
import { parseCertificate } from '../../x509/certificate.js';
import { parseCsr } from '../../x509/csr.js';
import { decodePublicKeyInfo } from '../../x509/public-key.js';

export type InspectItem =
  | { readonly kind: 'certificate' | 'csr' | 'public-key' | 'encrypted-private-key' | 'pkcs12'; readonly der: Uint8Array }
  /** A private key for readKeyFile: PEM text (SEC1, PKCS#8, or a type it names in its error) or DER. */
  | { readonly kind: 'private-key'; readonly input: Uint8Array | string };

const SIMPLE_LABELS: Readonly<Record<string, InspectItem['kind']>> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PUBLIC KEY': 'public-key',
  'ENCRYPTED PRIVATE KEY': 'encrypted-private-key',
};

/** Blocks that come with a key and say nothing of their own (`openssl ecparam -genkey` writes one). */
const IGNORED_LABELS = new Set(['EC PARAMETERS']);

export const UNRECOGNISED =
  'not a certificate, certificate request, private or public key, or PKCS#12 file (ecp reads these as PEM or DER)';

function fromPem(text: string): InspectItem[] {
  const items: InspectItem[] = [];
  const others: string[] = [];
  for (const block of decodePemBlocks(text)) {
    const kind = SIMPLE_LABELS[block.label];
    if (kind && kind !== 'private-key') items.push({ kind, der: block.der });
    else if (block.label.endsWith('PRIVATE KEY')) {
      // Legacy OpenSSL encryption lives in PEM headers: hand over the text so that readKeyFile sees and names it.
      items.push({ kind: 'private-key', input: Object.keys(block.headers).length ? text : encodePem(block.label, block.der) });
    } else if (!IGNORED_LABELS.has(block.label)) others.push(block.label);
  }
  if (items.length === 0) {
    if (others.length) throw new EcpError(`a PEM "${others[0]}" block: ${UNRECOGNISED}`);
    if (/-----BEGIN [^\r\n-]*-----/.test(text)) throw new MalformedInputError('a PEM block without its END line: the file is incomplete');
    throw new EcpError(UNRECOGNISED);
  }
  return items;
}

/**
 * True when `parse` accepts the bytes. A parse failure means "not this format"; any other
 * refusal (a PKCS#12 in a mode ecp does not read) is about a format the parser recognised,
 * and is passed on.
 */
function accepts(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    if (error instanceof MalformedInputError || error instanceof InputTooLargeError || error instanceof InvalidCertificateError) return false;
    throw error;
  }
}

function fromDer(der: Uint8Array): InspectItem {
  const SEQUENCE = 0x30;
  if (der[0] !== SEQUENCE) throw new EcpError(UNRECOGNISED);
  if (accepts(() => parseCertificate(der))) return { kind: 'certificate', der };
  if (accepts(() => parseCsr(der))) return { kind: 'csr', der };
  if (accepts(() => parsePfx(der))) return { kind: 'pkcs12', der };
  if (accepts(() => decodePublicKeyInfo(der))) return { kind: 'public-key', der };
  if (accepts(() => parseEncryptedPrivateKeyInfo(der))) return { kind: 'encrypted-private-key', der };
  return { kind: 'private-key', input: der };
}

export function detectItems(bytes: Uint8Array): InspectItem[] {
  if (bytes.length === 0) throw new EcpError('the file is empty');
  if (!looksLikePem(bytes)) return [fromDer(bytes)];
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw new EcpError(UNRECOGNISED);
  }
  return fromPem(text);
}

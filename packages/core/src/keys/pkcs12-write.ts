/**
 * Writing PKCS#12 the way OpenSSL 3's `openssl pkcs12 -export` does by default, so that
 * browsers and OS key stores import it for TLS client auth: the certificates in an
 * `encryptedData` part, the key in a `pkcs8ShroudedKeyBag` inside a `data` part, both
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations), and an HMAC-SHA256 MAC.
 */
import * as OID from '../der/oid-list.js';
import * as der from '../der/writer.js';
import type { KeyFileCrypto } from './crypto-backend.js';
import { bmpPassword, pbes2Password } from './passphrase.js';
import { pbes2Encrypt } from './pbes2.js';
import { computeMac, encodeMacData, MAX_MAC_ITERATIONS } from './pkcs12-mac.js';
import { encodeEncryptedPrivateKeyInfo } from './pkcs8.js';
import { PKCS12_DEFAULT_ITERATIONS } from './limits.js';

export { PKCS12_DEFAULT_ITERATIONS };


export interface Pkcs12WriteInput {
  /** Unencrypted PrivateKeyInfo (DER). */
  readonly pkcs8: Uint8Array;
  /** The key's certificate (DER). */
  readonly certificate: Uint8Array;
  /** Further certificates (DER), e.g. the issuing CA. */
  readonly chain?: readonly Uint8Array[];
  readonly passphrase: string;
  /** PBKDF2 iterations of the key and certificate encryption (default 2048). */
  readonly iterations?: number;
  /** MAC iterations (default 2048). */
  readonly macIterations?: number;
  /** Shown by key stores as the credential's name. */
  readonly friendlyName?: string;
}

const attribute = (type: string, value: Uint8Array): Uint8Array => der.sequence(der.oid(type), der.setOf(value));

const safeBag = (bagId: string, value: Uint8Array, attributes: Uint8Array[]): Uint8Array =>
  der.sequence(der.oid(bagId), der.explicit(0, value), ...(attributes.length ? [der.setOf(...attributes)] : []));

const certBag = (certificate: Uint8Array, attributes: Uint8Array[]): Uint8Array =>
  safeBag(OID.certBag, der.sequence(der.oid(OID.x509Certificate), der.explicit(0, der.octetString(certificate))), attributes);

const dataContentInfo = (content: Uint8Array): Uint8Array =>
  der.sequence(der.oid(OID.data), der.explicit(0, der.octetString(content)));

export async function encodePkcs12(input: Pkcs12WriteInput, backend: KeyFileCrypto): Promise<Uint8Array> {
  const iterations = input.iterations ?? PKCS12_DEFAULT_ITERATIONS;
  const macIterations = input.macIterations ?? PKCS12_DEFAULT_ITERATIONS;
  if (!Number.isInteger(macIterations) || macIterations < 1 || macIterations > MAX_MAC_ITERATIONS) {
    throw new RangeError(`MAC iterations must be an integer from 1 to ${MAX_MAC_ITERATIONS}`);
  }
  const password = pbes2Password(input.passphrase);
  // localKeyId = SHA-1 of the certificate, as OpenSSL sets it: it ties the two bags together.
  const attributes = [attribute(OID.localKeyId, der.octetString(await backend.digest('SHA-1', input.certificate)))];
  if (input.friendlyName !== undefined) attributes.push(attribute(OID.friendlyName, der.bmpString(input.friendlyName)));

  const certificates = der.sequence(certBag(input.certificate, attributes), ...(input.chain ?? []).map((c) => certBag(c, [])));
  const encryptedCertificates = await pbes2Encrypt(password, certificates, backend, { iterations });
  const encryptedData = der.sequence(
    der.integer(0),
    der.sequence(der.oid(OID.data), encryptedCertificates.algorithm, der.implicitPrimitive(0, encryptedCertificates.ciphertext)),
  );

  const shrouded = await pbes2Encrypt(password, input.pkcs8, backend, { iterations });
  const keyBag = safeBag(OID.pkcs8ShroudedKeyBag, encodeEncryptedPrivateKeyInfo(shrouded.algorithm, shrouded.ciphertext), attributes);

  const authSafe = der.sequence(
    der.sequence(der.oid(OID.encryptedData), der.explicit(0, encryptedData)),
    dataContentInfo(der.sequence(keyBag)),
  );
  const mac = { hash: 'SHA-256' as const, salt: backend.randomBytes(16), iterations: macIterations };
  const digest = await computeMac(mac, bmpPassword(input.passphrase), authSafe, backend);
  return der.sequence(der.integer(3), dataContentInfo(authSafe), encodeMacData({ ...mac, digest }));
}

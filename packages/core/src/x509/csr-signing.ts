/**
 * Certification requests with node:crypto: verifying a request's self-signature (proof that
 * the requester holds the key) and making one from a private key.
 */
import type { KeyObject } from 'node:crypto';
import { EcpError, InvalidSignatureError } from '../errors.js';
import type { ExtensionInput } from './extensions.js';
import { assembleCsr, buildCsrInfo, csrToPem, parseCsr, type CertificationRequest } from './csr.js';
import type { NameInput } from './name.js';
import { signerFor, spkiOf, verifyX509Signature } from './signing.js';

/**
 * Checks the request's signature over its CertificationRequestInfo with the key it carries.
 * Throws {@link InvalidSignatureError} when it does not verify (or its algorithm is unknown).
 */
export function verifyCsr(csr: CertificationRequest): void {
  if (!verifyX509Signature(csr.publicKey, csr.signatureAlgorithm, csr.infoDer, csr.signatureValue)) {
    throw new InvalidSignatureError('the certificate request signature does not verify with its public key');
  }
}

export interface CreateCsrOptions {
  readonly privateKey: KeyObject;
  /** The CN to request; or give `subject` for a fuller name. */
  readonly commonName?: string;
  readonly subject?: NameInput;
  readonly extensions?: readonly ExtensionInput[];
}

/** A PEM `CERTIFICATE REQUEST` signed by `privateKey` (P-256 → ecdsa-with-SHA256). */
export function createCsr(options: CreateCsrOptions): string {
  const subject = options.subject ?? (options.commonName === undefined ? undefined : { CN: options.commonName });
  if (!subject) throw new EcpError('createCsr needs a commonName or a subject');
  const signer = signerFor(options.privateKey);
  const info = buildCsrInfo({ subject, spki: spkiOf(options.privateKey), ...(options.extensions ? { extensions: options.extensions } : {}) });
  const csrDer = assembleCsr(info, signer.algorithmIdentifier, signer.sign(info));
  parseCsr(csrDer); // what ecp writes, ecp must read back
  return csrToPem(csrDer);
}

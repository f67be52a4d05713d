/**
 * Enrolment: making a user's credentials (server-side) or certifying a key the user made
 * (client-side, from a CSR). Pure computation; storing and offering the result is the
 * decorator's job, so that an application can do its own writes in the same transaction.
 *
 * Who signs:
 * - with an `issuer` (CA mode), every certificate is issued by that CA, so one
 *   `credentials.p12` serves the login factor and TLS client authentication;
 * - without one, server-side enrolment self-signs with the user's new key, and CSR
 *   enrolment is signed by a per-process "enrolment issuer" key that lives only in memory.
 *   The login factor trusts a certificate because the server stored it for that user, not
 *   because of who signed it, so nothing is lost, and no CA key sits anywhere unconfigured.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  certificateToPem,
  createSelfSignedCertificate,
  encryptPrivateKey,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
  parseCsr,
  verifyCsr,
  writePkcs12,
  type Certificate,
  type CertificationRequest,
} from '@ecp/core';
import { badRequest, EcpHttpError } from './errors.js';
import { EcpOptionsError, type EcpIssuerOptions } from './options.js';

/** X.520 upper bound of a common name; longer usernames cannot be a certificate's CN. */
export const MAX_USERNAME_LENGTH = 64;
export const MAX_PASSPHRASE_LENGTH = 1024;
/** A P-256 CSR in PEM is under 1 KB; this leaves room for extensions and attributes. */
export const MAX_CSR_LENGTH = 10_000;
const ENROLMENT_ISSUER_CN = 'ecp-fastify enrolment issuer';

/** What server-side enrolment makes: the files the user downloads once. */
export interface Credentials {
  certificate: Certificate;
  certificatePem: string;
  /** PKCS#8 ENCRYPTED PRIVATE KEY (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC). */
  privateKeyPem: string;
  /** PKCS#12 with the key, the certificate and (in CA mode) the CA certificate. */
  pkcs12: Uint8Array;
}

interface Issuer {
  certificate: Certificate;
  privateKey: KeyObject;
}

export interface EnrolmentSettings {
  certificateDays: number;
  kdfIterations: number;
  issuer: EcpIssuerOptions | undefined;
}

export class Enrolment {
  readonly #days: number;
  readonly #iterations: number;
  readonly #issuer: Issuer | undefined;
  #enrolmentIssuer: Issuer | undefined;

  constructor(settings: EnrolmentSettings) {
    this.#days = settings.certificateDays;
    this.#iterations = settings.kdfIterations;
    this.#issuer = settings.issuer === undefined ? undefined : loadIssuer(settings.issuer);
  }

  /** True in CA mode. */
  get issuesFromCa(): boolean {
    return this.#issuer !== undefined;
  }

  /** A new P-256 key and certificate (CN = username), the key encrypted under `passphrase`. */
  async createCredentials(username: string, passphrase: string): Promise<Credentials> {
    checkUsername(username);
    checkPassphrase(passphrase);
    const { privateKey, publicKey } = generateKeyPair();
    const certificate =
      this.#issuer === undefined
        ? createSelfSignedCertificate({ privateKey, commonName: username, days: this.#days })
        : this.#issue(this.#issuer, publicKey, username);
    const chain = this.#issuer === undefined ? [] : [this.#issuer.certificate.der];
    const [privateKeyPem, pkcs12] = await Promise.all([
      encryptPrivateKey(privateKey, passphrase, { iterations: this.#iterations }),
      writePkcs12({ privateKey, certificate, chain, passphrase, iterations: this.#iterations, friendlyName: username }),
    ]);
    return { certificate, certificatePem: certificateToPem(certificate), privateKeyPem, pkcs12 };
  }

  /**
   * Certifies the key of a CSR for `username`: the CSR must parse, carry a valid
   * self-signature, have CN = username and a P-256 key. Throws a 400 {@link EcpHttpError}.
   */
  issueFromCsr(username: string, csrPem: string): Certificate {
    checkUsername(username);
    if (typeof csrPem !== 'string' || csrPem.length === 0) throw badRequest('a CSR (PKCS#10 PEM) is required');
    if (csrPem.length > MAX_CSR_LENGTH) throw badRequest(`the CSR is larger than ${MAX_CSR_LENGTH} bytes`, 'ECP_INPUT_TOO_LARGE');
    let csr: CertificationRequest;
    try {
      csr = parseCsr(csrPem);
    } catch (error) {
      throw new EcpHttpError(400, 'ECP_MALFORMED', 'the CSR cannot be read: expected a PKCS#10 CERTIFICATE REQUEST in PEM', { cause: error });
    }
    try {
      verifyCsr(csr);
    } catch (error) {
      throw new EcpHttpError(400, 'ECP_INVALID_SIGNATURE', 'the CSR signature does not verify with its own key', { cause: error });
    }
    if (csr.publicKey.algorithm !== 'EC' || csr.publicKey.curve !== 'P-256') {
      throw new EcpHttpError(400, 'ECP_WRONG_CURVE', 'the CSR key must be ECDSA P-256 (prime256v1)');
    }
    if (csr.subject.commonName !== username) {
      throw new EcpHttpError(400, 'ECP_SUBJECT_MISMATCH', 'the CSR subject CN must equal the username');
    }
    return this.#issue(this.#issuer ?? this.#ephemeralIssuer(), csr.publicKey.spki, username);
  }

  #issue(issuer: Issuer, subjectPublicKey: KeyObject | Uint8Array, username: string): Certificate {
    return issueCertificate({
      subjectPublicKey,
      subject: { CN: username },
      issuerCertificate: issuer.certificate,
      issuerKey: issuer.privateKey,
      days: this.#days,
      profile: 'client',
    });
  }

  #ephemeralIssuer(): Issuer {
    if (this.#enrolmentIssuer === undefined) {
      const { privateKey } = generateKeyPair();
      const certificate = createSelfSignedCertificate({ privateKey, commonName: ENROLMENT_ISSUER_CN, days: 3650, profile: 'ca' });
      this.#enrolmentIssuer = { certificate, privateKey };
    }
    return this.#enrolmentIssuer;
  }
}

/** Checks at register time that the configured CA can issue: a CA certificate and its key. */
function loadIssuer(options: EcpIssuerOptions): Issuer {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(options.certificate);
  } catch (error) {
    throw new EcpOptionsError(`\`issuer.certificate\` cannot be read: ${(error as Error).message}`);
  }
  if (certificate.basicConstraints?.cA !== true) throw new EcpOptionsError('`issuer.certificate` is not a CA certificate (basicConstraints cA is not set)');
  const keySpki = createPublicKey(options.privateKey).export({ type: 'spki', format: 'der' });
  if (!keySpki.equals(Buffer.from(certificate.publicKey.spki))) {
    throw new EcpOptionsError('`issuer.privateKey` does not belong to `issuer.certificate`');
  }
  return { certificate, privateKey: options.privateKey };
}

/** Usernames become certificate CNs: 1-64 characters, no control characters. */
export function checkUsername(username: unknown): asserts username is string {
  if (typeof username !== 'string' || username.length === 0 || username.length > MAX_USERNAME_LENGTH || /\p{Cc}/u.test(username)) {
    throw badRequest(`username must be 1-${MAX_USERNAME_LENGTH} characters without control characters`);
  }
}

export function checkPassphrase(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string' || passphrase.length === 0 || passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw badRequest(`the key passphrase must be 1-${MAX_PASSPHRASE_LENGTH} characters`);
  }
}

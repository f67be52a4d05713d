/** chain/: RFC 5280 client-certificate path validation and CRLs (Node). */
export { CERTIFICATE_PATH_REASONS, CertificatePathError, isCertificatePathReason } from './errors.js';
export type { CertificatePathReason } from './errors.js';
export { ChainVerifier, normalizeFingerprint, parseCertificateList, verifyCertificateChain } from './verifier.js';
export type { CertificateInput, ChainVerifierOptions, CrlInput, RevocationOptions, ValidatedPath, ValidationOptions } from './verifier.js';
export { CRL_PEM_LABEL, MAX_CRL_SIZE, parseCrl, parseCrls } from './crl.js';
export type { CertificateRevocationList, RevokedCertificate } from './crl.js';
export { MAX_LINK_ATTEMPTS, MAX_PATH_LENGTH, MAX_SIGNATURE_CHECKS } from './path-builder.js';

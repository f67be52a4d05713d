/**
 * The object identifiers ecp reads and writes, named once for the whole toolkit.
 *
 * One `export const` each, not one object: code imports them as a namespace
 * (`import * as OID from '../der/oid-list.js'`) and writes `OID.ecPublicKey`, which bundlers
 * resolve statically, so a browser bundle keeps only the identifiers its code uses. An object
 * literal cannot be tree-shaken: the browser SDK carried all ~110 of them (3.5 KB minified).
 * Name lookups (`oidName`) live in oids.ts, for the Node code that shows names.
 */

// Key types and curves (RFC 5480, RFC 8410, RFC 8017)
export const ecPublicKey = '1.2.840.10045.2.1';
export const prime256v1 = '1.2.840.10045.3.1.7';
export const secp384r1 = '1.3.132.0.34';
export const secp521r1 = '1.3.132.0.35';
export const secp256k1 = '1.3.132.0.10';
export const rsaEncryption = '1.2.840.113549.1.1.1';
export const rsassaPss = '1.2.840.113549.1.1.10';
export const ed25519 = '1.3.101.112';
export const ed448 = '1.3.101.113';
export const x25519 = '1.3.101.110';

// Signature algorithms
export const ecdsaWithSha1 = '1.2.840.10045.4.1';
export const ecdsaWithSha224 = '1.2.840.10045.4.3.1';
export const ecdsaWithSha256 = '1.2.840.10045.4.3.2';
export const ecdsaWithSha384 = '1.2.840.10045.4.3.3';
export const ecdsaWithSha512 = '1.2.840.10045.4.3.4';
export const md2WithRsa = '1.2.840.113549.1.1.2';
export const md5WithRsa = '1.2.840.113549.1.1.4';
export const sha1WithRsa = '1.2.840.113549.1.1.5';
export const sha256WithRsa = '1.2.840.113549.1.1.11';
export const sha384WithRsa = '1.2.840.113549.1.1.12';
export const sha512WithRsa = '1.2.840.113549.1.1.13';
export const sha224WithRsa = '1.2.840.113549.1.1.14';
export const mgf1 = '1.2.840.113549.1.1.8';

// Digests
export const sha1 = '1.3.14.3.2.26';
export const sha256 = '2.16.840.1.101.3.4.2.1';
export const sha384 = '2.16.840.1.101.3.4.2.2';
export const sha512 = '2.16.840.1.101.3.4.2.3';
export const sha224 = '2.16.840.1.101.3.4.2.4';
export const md5 = '1.2.840.113549.2.5';

// Password-based encryption (RFC 8018) and its PRFs and ciphers
export const pbes2 = '1.2.840.113549.1.5.13';
export const pbkdf2 = '1.2.840.113549.1.5.12';
export const hmacWithSha1 = '1.2.840.113549.2.7';
export const hmacWithSha224 = '1.2.840.113549.2.8';
export const hmacWithSha256 = '1.2.840.113549.2.9';
export const hmacWithSha384 = '1.2.840.113549.2.10';
export const hmacWithSha512 = '1.2.840.113549.2.11';
export const aes128Cbc = '2.16.840.1.101.3.4.1.2';
export const aes192Cbc = '2.16.840.1.101.3.4.1.22';
export const aes256Cbc = '2.16.840.1.101.3.4.1.42';
export const desEde3Cbc = '1.2.840.113549.3.7';
export const rc2Cbc = '1.2.840.113549.3.2';
// PKCS#5 v1.5 and PKCS#12 legacy PBE schemes (refused with advice)
export const pbeWithMd5AndDesCbc = '1.2.840.113549.1.5.3';
export const pbeWithSha1AndDesCbc = '1.2.840.113549.1.5.10';
export const pbeWithShaAnd128BitRc4 = '1.2.840.113549.1.12.1.1';
export const pbeWithShaAnd40BitRc4 = '1.2.840.113549.1.12.1.2';
export const pbeWithShaAnd3KeyTripleDesCbc = '1.2.840.113549.1.12.1.3';
export const pbeWithShaAnd2KeyTripleDesCbc = '1.2.840.113549.1.12.1.4';
export const pbeWithShaAnd128BitRc2Cbc = '1.2.840.113549.1.12.1.5';
export const pbeWithShaAnd40BitRc2Cbc = '1.2.840.113549.1.12.1.6';

// PKCS#7 / CMS content types and PKCS#12 bags (RFC 7292)
export const data = '1.2.840.113549.1.7.1';
export const signedData = '1.2.840.113549.1.7.2';
export const encryptedData = '1.2.840.113549.1.7.6';
export const keyBag = '1.2.840.113549.1.12.10.1.1';
export const pkcs8ShroudedKeyBag = '1.2.840.113549.1.12.10.1.2';
export const certBag = '1.2.840.113549.1.12.10.1.3';
export const crlBag = '1.2.840.113549.1.12.10.1.4';
export const secretBag = '1.2.840.113549.1.12.10.1.5';
export const safeContentsBag = '1.2.840.113549.1.12.10.1.6';
export const x509Certificate = '1.2.840.113549.1.9.22.1';
export const friendlyName = '1.2.840.113549.1.9.20';
export const localKeyId = '1.2.840.113549.1.9.21';
export const extensionRequest = '1.2.840.113549.1.9.14';
export const challengePassword = '1.2.840.113549.1.9.7';

// Name attributes (X.520 and friends)
export const commonName = '2.5.4.3';
export const surname = '2.5.4.4';
export const serialNumber = '2.5.4.5';
export const countryName = '2.5.4.6';
export const localityName = '2.5.4.7';
export const stateOrProvinceName = '2.5.4.8';
export const streetAddress = '2.5.4.9';
export const organizationName = '2.5.4.10';
export const organizationalUnitName = '2.5.4.11';
export const title = '2.5.4.12';
export const givenName = '2.5.4.42';
export const emailAddress = '1.2.840.113549.1.9.1';
export const domainComponent = '0.9.2342.19200300.100.1.25';
export const userId = '0.9.2342.19200300.100.1.1';

// Certificate and CRL extensions (RFC 5280)
export const subjectKeyIdentifier = '2.5.29.14';
export const keyUsage = '2.5.29.15';
export const subjectAltName = '2.5.29.17';
export const issuerAltName = '2.5.29.18';
export const basicConstraints = '2.5.29.19';
export const crlNumber = '2.5.29.20';
export const crlReason = '2.5.29.21';
export const issuingDistributionPoint = '2.5.29.28';
export const certificateIssuer = '2.5.29.29';
export const nameConstraints = '2.5.29.30';
export const crlDistributionPoints = '2.5.29.31';
export const certificatePolicies = '2.5.29.32';
export const policyMappings = '2.5.29.33';
export const authorityKeyIdentifier = '2.5.29.35';
export const policyConstraints = '2.5.29.36';
export const extKeyUsage = '2.5.29.37';
export const deltaCrlIndicator = '2.5.29.27';
export const inhibitAnyPolicy = '2.5.29.54';
export const authorityInfoAccess = '1.3.6.1.5.5.7.1.1';

// Extended key usages
export const anyExtendedKeyUsage = '2.5.29.37.0';
export const serverAuth = '1.3.6.1.5.5.7.3.1';
export const clientAuth = '1.3.6.1.5.5.7.3.2';
export const codeSigning = '1.3.6.1.5.5.7.3.3';
export const emailProtection = '1.3.6.1.5.5.7.3.4';
export const timeStamping = '1.3.6.1.5.5.7.3.8';
export const ocspSigning = '1.3.6.1.5.5.7.3.9';

/** The browser-safe part of x509/: parsing, encoding and to-be-signed builders. */
export * from './algorithms.js';
export * from './certificate.js';
export * from './certificate-key.js';
export * from './csr.js';
export * from './extensions.js';
export * from './general-name.js';
export * from './name.js';
export * from './public-key.js';
export * from './tbs.js';
export * from './validity.js';

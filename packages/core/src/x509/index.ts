/** x509/ for Node: the portable part plus signing, verifying and fingerprints with node:crypto. */
export * from './portable.js';
export * from './build.js';
export * from './csr-signing.js';
export * from './fingerprint.js';
export * from './signing.js';

// Everything that runs without Node: types, hex helpers, acceptable-vector records and the
// decoding of portable OpenSSL vectors. Import this from code bundled for a browser page.
export * from './hex.js';
export * from './wycheproof-types.js';
export * from './acceptable.js';
export * from './openssl-manifest-types.js';

// @ecp/test-vectors for Node tests: the portable part plus the file loaders.
export * from './portable.js';
export * from './wycheproof.js';
export * from './acceptable-file.js';
export * from './openssl-vectors.js';
export * from './chains.js';

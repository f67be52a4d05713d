/**
 * @ecp/core for Node: certificate and signature primitives, key files and path validation.
 * Browser code imports `@ecp/core/portable` instead (no Node built-ins below it).
 */
export * from './portable.js';
export * from './x509/index.js';
export * from './ecdsa/index.js';
export * from './keys/index.js';
export * from './chain/index.js';

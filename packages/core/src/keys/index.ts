/** Key files for Node: the node:crypto backend and the KeyObject API of @ecp/core. */
export { nodeKeyFileCrypto } from './node-backend.js';
export { encryptPrivateKey, exportP256Pkcs8, generateKeyPair, readPrivateKey } from './node-keys.js';
export { readPkcs12, writePkcs12 } from './node-pkcs12.js';
export type { WritePkcs12Options } from './node-pkcs12.js';

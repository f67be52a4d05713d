/**
 * Key files for Node: the node:crypto backend and the KeyObject API of @ecp/core, plus the
 * portable parsers and encoders themselves (the portable entry has only the operations).
 */
export { nodeKeyFileCrypto } from './node-backend.js';
export { encryptPrivateKey, exportP256Pkcs8, generateKeyPair, readPrivateKey } from './node-keys.js';
export { readPkcs12, writePkcs12 } from './node-pkcs12.js';
export type { WritePkcs12Options } from './node-pkcs12.js';
export { bmpPassword, pbes2Password } from './passphrase.js';
export { encodeEncryptedPrivateKeyInfo, parseEncryptedPrivateKeyInfo, parsePrivateKeyInfo } from './pkcs8.js';
export { encodeP256PrivateKeyInfo, normaliseP256Key } from './p256.js';
export { parseEcPrivateKey, sec1ToPkcs8 } from './sec1.js';
export { REENCRYPT_ADVICE, encodePbes2Algorithm, parseEncryptionAlgorithm, pbes2Decrypt, pbes2Encrypt } from './pbes2.js';
export { decryptPrivateKeyInfo } from './encrypted-pkcs8.js';
export { parsePfx, readPkcs12Contents } from './pkcs12.js';
export type { Pfx, Pkcs12KeyAndCertificates } from './pkcs12.js';
export { computeMac, encodeMacData, parseMacData, pkcs12MacKey, verifyMac } from './pkcs12-mac.js';
export type { MacData } from './pkcs12-mac.js';

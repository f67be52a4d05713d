/** ecdsa/ for Node: the portable part plus node:crypto signing and verifying. */
export * from './portable.js';
export * from './key-cache.js';
export * from './sign.js';
export * from './verify.js';

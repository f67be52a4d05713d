/** The browser-safe part of ecdsa/: DER ⇄ r‖s conversion and strict parsing. */
export * from './curves.js';
export * from './signature.js';

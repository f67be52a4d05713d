/**
 * Everything enrolment needs beyond login (the CSR builder, the certificate parser, the
 * PKCS#12 writer), loaded as one lazy chunk by enrolment.ts: a login page never downloads it.
 */
export { generateCredentials } from './credentials.js';
export { enrol } from './enrol.js';
export { buildPkcs12 } from './pkcs12.js';

/**
 * Key files: the cost users feel is the deliberately slow PBKDF2 (600 000 iterations of
 * HMAC-SHA256). Figures for it through node:crypto and through WebCrypto in Node, and
 * ratios showing what ecp's reading and writing add on top of it.
 */
import { webcrypto } from 'node:crypto';
import type { BenchSuite } from '../../../scripts/bench/harness.js';
import { compare, timeOnce } from '../../../scripts/bench/harness.js';
import { nodeKeyFileCrypto } from '../src/keys/node-backend.js';
import { encryptPrivateKey, generateKeyPair, readPrivateKey } from '../src/keys/node-keys.js';

const ITERATIONS = 600_000;
const password = new TextEncoder().encode('correct horse battery staple');
const salt = new Uint8Array(16).fill(7);

async function webCryptoPbkdf2(): Promise<void> {
  const key = await webcrypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ITERATIONS }, key, 256);
}

const nodePbkdf2 = () => nodeKeyFileCrypto.pbkdf2('SHA-256', password, salt, ITERATIONS, 32);

const suite: BenchSuite = {
  name: 'core: key files (PBKDF2 600k)',
  async run(report) {
    const { privateKey } = generateKeyPair();
    const pem = await encryptPrivateKey(privateKey, 'correct horse battery staple');
    report.figures.push(
      { name: 'PBKDF2-HMAC-SHA256 × 600 000, node:crypto (thread pool)', value: await timeOnce(nodePbkdf2, 3), unit: 'ms' },
      { name: 'PBKDF2-HMAC-SHA256 × 600 000, WebCrypto in Node', value: await timeOnce(webCryptoPbkdf2, 3), unit: 'ms' },
      { name: 'encryptPrivateKey (600 000 iterations)', value: await timeOnce(() => encryptPrivateKey(privateKey, 'pw'), 3), unit: 'ms' },
      { name: 'readPrivateKey of that file', value: await timeOnce(() => readPrivateKey(pem, 'correct horse battery staple'), 3), unit: 'ms' },
    );
    report.comparisons.push(
      await compare(
        'readPrivateKey (encrypted PKCS#8, 600k) vs its bare PBKDF2',
        { label: 'readPrivateKey', op: () => readPrivateKey(pem, 'correct horse battery staple') },
        { label: 'node:crypto pbkdf2 alone', op: nodePbkdf2 },
        { rounds: 3, roundMs: 1500, target: 0.9, note: 'parsing, AES and the public-point check add little to the KDF' },
      ),
    );
  },
};

export default suite;

/**
 * The Chromium page of the bench: times readPrivateKey + signChallenge and the bare WebCrypto
 * PBKDF2 they cannot avoid, alternating in one page so that both see the same machine state.
 * Timed in the page with performance.now(), so page.evaluate's own cost is not counted.
 */
import { readPrivateKey, signChallenge } from '../src/index.js';

export interface BenchRounds {
  sdkMs: number[];
  pbkdf2Ms: number[];
  signatureHex: string;
}

async function readAndSign(pem: string, passphrase: string, nonce: string): Promise<{ ms: number; signatureHex: string }> {
  const started = performance.now();
  const key = await readPrivateKey(pem, passphrase);
  const signatureHex = await signChallenge(key, nonce);
  return { ms: performance.now() - started, signatureHex };
}

/** What any reader of the file must pay: PBKDF2-HMAC-SHA256 at the file's iteration count, 256 bits. */
async function pbkdf2(passphrase: string, iterations: number): Promise<number> {
  const started = performance.now();
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: crypto.getRandomValues(new Uint8Array(16)), iterations }, key, 256);
  return performance.now() - started;
}

async function rounds(input: { pem: string; passphrase: string; nonce: string; iterations: number; rounds: number }): Promise<BenchRounds> {
  // Warm-up: the SDK's lazily loaded chunks, JIT, WebCrypto's first use.
  const warm = await readAndSign(input.pem, input.passphrase, input.nonce);
  await pbkdf2(input.passphrase, input.iterations);
  const sdkMs: number[] = [];
  const pbkdf2Ms: number[] = [];
  // A B, then B A: neither side always runs first (a warmer CPU, a quieter neighbour).
  for (let i = 0; i < input.rounds; i++) {
    if (i % 2 === 0) {
      sdkMs.push((await readAndSign(input.pem, input.passphrase, input.nonce)).ms);
      pbkdf2Ms.push(await pbkdf2(input.passphrase, input.iterations));
    } else {
      pbkdf2Ms.push(await pbkdf2(input.passphrase, input.iterations));
      sdkMs.push((await readAndSign(input.pem, input.passphrase, input.nonce)).ms);
    }
  }
  return { sdkMs, pbkdf2Ms, signatureHex: warm.signatureHex };
}

declare global {
  interface Window {
    ecpBench: { rounds: typeof rounds };
  }
}

window.ecpBench = { rounds };
document.title = 'ready';

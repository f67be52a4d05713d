/**
 * Bounded fuzzing of the client-certificate preHandler through Fastify (app.inject from a
 * trusted-proxy address): mutated DER in every header encoding, mutated escaped PEM and
 * Envoy/RFC 9440 values, and plain garbage. Every answer must be a 400 or a 403 with the
 * JSON error body: never a 500, a 200 or an exception escaping the preHandler.
 *
 * The PRNG is seeded, so a failure names the iteration that reproduces it
 * (ECP_FUZZ_SEED=<n> to explore other seeds).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificatePreHandler, decodeCertificateHeader } from '../../src/client-cert/index.js';
import { createClientCertificateFixtures, type ClientCertificateFixtures } from './fixtures.js';

const SEED = Number(process.env.ECP_FUZZ_SEED ?? 0x5eed_ec9);
const ITERATIONS = 2_000;
const PROXY = '127.0.0.2';

/** mulberry32: a tiny deterministic PRNG (not for secrets; for reproducible test inputs). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a header value decodes to, or null; only used to tell a harmless mutation from an accepted forgery. */
function decodesTo(value: string): Uint8Array | null {
  try {
    return decodeCertificateHeader(value);
  } catch {
    return null;
  }
}

let fx: ClientCertificateFixtures;
let app: FastifyInstance;

beforeAll(async () => {
  fx = createClientCertificateFixtures();
  const guard = createClientCertificatePreHandler({
    trustAnchors: [fx.rootPem],
    intermediates: [fx.intermediatePem],
    crlFiles: [fx.intermediateCrlFile],
    trustedProxies: [PROXY],
    mapUser: 'cn',
  });
  app = Fastify();
  app.get('/guarded', { preHandler: guard }, async () => ({ ok: true }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  fx?.cleanup();
});

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)] as T;

/** One DER mutation: bit flips, a truncation, a changed (often length) byte, an insertion, trailing bytes. */
function mutateDer(random: Random, der: Uint8Array): Uint8Array {
  const out = Uint8Array.from(der);
  switch (int(random, 6)) {
    case 0: {
      const flips = 1 + int(random, 8);
      for (let i = 0; i < flips; i++) {
        const at = int(random, out.length);
        out[at] = (out[at] as number) ^ (1 << int(random, 8));
      }
      return out;
    }
    case 1:
      return out.subarray(0, int(random, out.length));
    case 2: {
      // Lengths and tags sit mostly in the first bytes of each structure: bias toward the head.
      const at = random() < 0.5 ? int(random, Math.min(32, out.length)) : int(random, out.length);
      out[at] = pick(random, [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff, int(random, 256)]);
      return out;
    }
    case 3: {
      const at = int(random, out.length);
      const extra = Uint8Array.from({ length: 1 + int(random, 4) }, () => int(random, 256));
      return Uint8Array.from([...out.subarray(0, at), ...extra, ...out.subarray(at)]);
    }
    case 4: {
      const at = int(random, out.length);
      return Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1 + int(random, 4))]);
    }
    default:
      return Uint8Array.from([...out, ...Array.from({ length: 1 + int(random, 8) }, () => int(random, 256))]);
  }
}

const pemOf = (der: Uint8Array) => {
  const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
};

/** The DER in one of the header encodings proxies use. */
function encode(random: Random, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  switch (int(random, 4)) {
    case 0:
      return encodeURIComponent(pemOf(der));
    case 1:
      return base64;
    case 2:
      return `:${base64}:`;
    default:
      return `By=spiffe://edge;Hash=00;Cert="${encodeURIComponent(pemOf(der))}"`;
  }
}

const NASTY = ['%', '%2', '%zz', '%00', '%C0%80', ' ', '+', '-', ':', '"', '\\', ',', ';', '=', '\t', 'é', '\u{1F600}', '-----BEGIN%20CERTIFICATE-----'];

/** Character-level damage to an encoded header value. */
function mutateText(random: Random, text: string): string {
  const chars = [...text];
  const edits = 1 + int(random, 6);
  for (let i = 0; i < edits; i++) {
    const at = int(random, chars.length + 1);
    const roll = int(random, 3);
    if (roll === 0) chars.splice(at, 1);
    else if (roll === 1) chars.splice(at, 0, pick(random, NASTY));
    else chars.splice(at, 1, pick(random, NASTY));
  }
  return chars.join('');
}

function garbage(random: Random): string {
  const length = int(random, 3_000);
  let text = '';
  for (let i = 0; i < length; i++) text += random() < 0.8 ? String.fromCharCode(0x20 + int(random, 0x5f)) : pick(random, NASTY);
  return text;
}

describe('client-certificate preHandler fuzzing', () => {
  it(`answers only 400 or 403 to ${ITERATIONS} mutated certificates and header values (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const sources = [fx.valid, fx.expired, fx.foreign, fx.revokedByCrl, fx.serverAuthOnly].map((client) => new Uint8Array(client.der));
    const statuses = new Map<number, number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const original = pick(random, sources);
      const kind = int(random, 10);
      let value: string;
      if (kind < 6) value = encode(random, mutateDer(random, original));
      else if (kind < 9) value = mutateText(random, encode(random, original));
      else value = garbage(random);
      // Header values cannot carry CR, LF or NUL; Node refuses them before any handler runs.
      value = value.replace(/[\r\n\0]/g, '');
      let response;
      try {
        response = await app.inject({ method: 'GET', url: '/guarded', remoteAddress: PROXY, headers: { 'x-client-cert': value } });
      } catch (error) {
        // light-my-request validates header characters like Node does; such a value never reaches a server.
        if ((error as { code?: string }).code === 'ERR_INVALID_CHAR') continue;
        throw error;
      }
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const context = `iteration ${i} (seed ${SEED}), header ${JSON.stringify(value.slice(0, 200))}`;
      if (response.statusCode === 200) {
        // Only the exact bytes of the valid certificate may pass: some text damage is harmless
        // (a space inside the PEM base64, an edit in Envoy's Hash field) and decodes to them.
        expect(Buffer.from(decodesTo(value) ?? []).equals(fx.valid.der), `accepted a changed certificate at ${context}`).toBe(true);
        continue;
      }
      expect([400, 403], context).toContain(response.statusCode);
      const body = response.json();
      expect(typeof body.error, context).toBe('string');
      expect(typeof body.code, context).toBe('string');
    }
    expect(statuses.get(200) ?? 0).toBeLessThan(ITERATIONS / 20);
    // Both kinds of refusal were reached: the fuzzer is exercising parsing and validation.
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(statuses.get(403)).toBeGreaterThan(20);
  });
});

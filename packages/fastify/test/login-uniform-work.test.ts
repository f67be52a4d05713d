/**
 * A failed login does the same work whichever factor failed: one password check, one
 * certificate lookup and one signature verification, for an unknown user, a wrong password,
 * an expired or unknown nonce, a bad signature and a certificate outside its window alike.
 * Skipping the lookup or the verification for some of them would make those failures faster
 * than the others, and so tell them apart by timing.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createSelfSignedCertificate, type Certificate } from '@ecp/core';
import { describe, expect, it, vi } from 'vitest';

const verifyCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('@ecp/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@ecp/core')>();
  return {
    ...core,
    verifySignature: (...args: Parameters<typeof core.verifySignature>) => {
      verifyCalls.count += 1;
      return core.verifySignature(...args);
    },
  };
});

const { authenticate } = await import('../src/login.js');
const { PublicKeyCache } = await import('../src/public-key-cache.js');
type Deps = Parameters<typeof authenticate>[1];

const NOW = new Date('2030-06-01T00:00:00Z');
const DAY = 86_400_000;
const NONCE = 'ab'.repeat(32);
const NONCE_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface Scenario {
  knownUser?: boolean;
  passwordOk?: boolean;
  nonce?: 'ok' | 'expired' | 'not_found';
  signatureKey?: 'own' | 'other';
  certificate?: 'valid' | 'expired';
}

const ownKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const certificates: Record<'valid' | 'expired', Certificate> = {
  valid: createSelfSignedCertificate({ privateKey: ownKey.privateKey, commonName: 'alice', notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + DAY) }),
  expired: createSelfSignedCertificate({ privateKey: ownKey.privateKey, commonName: 'alice', notBefore: new Date(NOW.getTime() - 3 * DAY), notAfter: new Date(NOW.getTime() - DAY) }),
};

/** Runs one login with stub stores; returns whether it passed and the work it did. */
async function attempt(scenario: Scenario): Promise<{ ok: boolean; lookups: number; verifications: number; passwordChecks: number }> {
  const { knownUser = true, passwordOk = true, nonce = 'ok', signatureKey = 'own', certificate = 'valid' } = scenario;
  let lookups = 0;
  let passwordChecks = 0;
  const alice = { id: 'user-1', username: 'alice' };
  const cert = certificates[certificate];
  const deps = {
    users: {
      findByUsername: async (name: string) => (knownUser && name === 'alice' ? alice : null),
      verifyPassword: async () => (passwordChecks++, passwordOk),
      dummyPasswordCheck: async () => void passwordChecks++,
    },
    nonces: { consume: async () => (nonce === 'ok' ? { status: 'ok' as const, nonce: NONCE } : { status: nonce }) },
    certificates: {
      find: async (userId: string) => {
        lookups++;
        return userId === alice.id
          ? { der: cert.der, sha256: createHash('sha256').update(cert.der).digest('hex'), notBefore: cert.notBefore, notAfter: cert.notAfter }
          : undefined;
      },
    },
    publicKeys: new PublicKeyCache(),
  } as unknown as Deps;
  const key: KeyObject = signatureKey === 'own' ? ownKey.privateKey : otherKey.privateKey;
  const signature = new Uint8Array(sign('sha256', Buffer.from(NONCE, 'utf8'), key));
  verifyCalls.count = 0;
  let ok = true;
  try {
    await authenticate({ username: 'alice', password: 'pw', nonceId: NONCE_ID, signature }, deps, NOW);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('ECP_AUTH_FAILED');
    ok = false;
  }
  return { ok, lookups, verifications: verifyCalls.count, passwordChecks };
}

describe('login: the same work whichever factor failed', () => {
  it('passes with every factor right, after one lookup and one verification', async () => {
    expect(await attempt({})).toEqual({ ok: true, lookups: 1, verifications: 1, passwordChecks: 1 });
  });

  const failures: Array<[string, Scenario]> = [
    ['unknown user', { knownUser: false }],
    ['wrong password', { passwordOk: false }],
    ['expired nonce', { nonce: 'expired' }],
    ['unknown or used nonce', { nonce: 'not_found' }],
    ['signature by another key', { signatureKey: 'other' }],
    ['certificate outside its window', { certificate: 'expired' }],
  ];
  it.each(failures)('%s: refused after one password check, one lookup and one verification', async (_name, scenario) => {
    expect(await attempt(scenario)).toEqual({ ok: false, lookups: 1, verifications: 1, passwordChecks: 1 });
  });
});

/** The example's scrypt password hashes. */
import { describe, expect, it } from 'vitest';
import { createScryptHasher, OWASP_SCRYPT } from '../src/passwords.js';

describe('scrypt password hasher', () => {
  it('uses OWASP parameters by default (N=2^17, r=8, p=1), which need a raised maxmem', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const hasher = createScryptHasher();
    const stored = await hasher.hash('correct horse');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await hasher.verify(stored, 'correct horse')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse ')).toBe(false);
  });

  const cheap = createScryptHasher({ N: 1024, r: 8, p: 1 });

  it('salts every hash', async () => {
    expect(await cheap.hash('same')).not.toBe(await cheap.hash('same'));
  });

  it('verifies with the cost stored in the hash, so old hashes survive a cost change', async () => {
    const old = await createScryptHasher({ N: 2048, r: 8, p: 1 }).hash('pw');
    expect(await cheap.verify(old, 'pw')).toBe(true);
  });

  it('normalises Unicode so that composed and decomposed input match', async () => {
    const stored = await cheap.hash('caf\u00e9');
    expect(await cheap.verify(stored, 'cafe\u0301')).toBe(true);
  });

  it.each([
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['N not a power of two', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['N too large', `scrypt$${2 ** 21}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`],
    ['short hash', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA'],
    ['empty', ''],
  ])('refuses a stored value with %s instead of throwing', async (_label, stored) => {
    expect(await cheap.verify(stored, 'pw')).toBe(false);
  });

  it('runs the KDF for an unknown user too', async () => {
    const slow = createScryptHasher({ N: 2 ** 15, r: 8, p: 1 });
    const stored = await slow.hash('pw');
    const time = async (run: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      await run();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const verify = await time(() => slow.verify(stored, 'wrong'));
    const dummy = await time(() => slow.dummyVerify('wrong'));
    // Same KDF, same cost: within a factor of 3 of each other on any machine.
    expect(dummy).toBeGreaterThan(verify / 3);
    expect(dummy).toBeLessThan(verify * 3);
  });

  it('refuses a cost that is not a power of two', () => {
    expect(() => createScryptHasher({ N: 1000, r: 8, p: 1 })).toThrow(RangeError);
  });
});

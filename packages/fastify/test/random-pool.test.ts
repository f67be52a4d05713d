import { describe, expect, it } from 'vitest';
import { randomString } from '../src/random-pool.js';

describe('randomString (pooled randomBytes)', () => {
  it('encodes exactly the requested number of bytes', () => {
    expect(randomString(32, 'hex')).toMatch(/^[0-9a-f]{64}$/);
    expect(randomString(16, 'base64url')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomString(24, 'base64url')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('never hands out the same bytes twice, across pool refills', () => {
    // 2 000 draws of 32 bytes span ~16 refills of the 4 KiB pool.
    const values = Array.from({ length: 2_000 }, () => randomString(32, 'hex'));
    expect(new Set(values).size).toBe(values.length);
  });

  it('refuses sizes it cannot serve from one pool', () => {
    expect(() => randomString(0, 'hex')).toThrow(RangeError);
    expect(() => randomString(4097, 'hex')).toThrow(RangeError);
    expect(() => randomString(1.5, 'hex')).toThrow(RangeError);
  });
});

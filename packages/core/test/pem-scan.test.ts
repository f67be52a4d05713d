/**
 * decodePemBlocks must take time linear in its input: it runs on text from the network
 * (a CSR at POST /register, a certificate upload, a client-certificate header) before any
 * size check tighter than a few kilobytes. A backtracking regular expression over the whole
 * text took ~30 s for 16 KB of repeated "-----BEGIN -----".
 */
import { describe, expect, it } from 'vitest';
import { decodePem, decodePemBlocks, encodePem } from '../src/pem.js';

const time = (run: () => void): number => {
  const start = performance.now();
  run();
  return performance.now() - start;
};

describe('PEM scanning cost', () => {
  it.each([
    ['BEGIN markers with empty labels and no END', '-----BEGIN -----'],
    ['BEGIN markers without a label terminator', '-----BEGIN x\n'],
    ['END markers without a terminator', '-----BEGIN A-----\n-----END x\n'],
    ['dashes everywhere', '-----'],
  ])('stays fast on 8 KB of %s', (_name, unit) => {
    const text = unit.repeat(Math.ceil((8 * 1024) / unit.length));
    expect(time(() => decodePemBlocks(text, 1 << 20))).toBeLessThan(500);
  });

  it('still finds blocks among hostile text', () => {
    const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
    const noise = '-----BEGIN x\n-----END y\n'.repeat(400);
    const text = `${noise}${encodePem('CERTIFICATE', der)}`;
    expect(time(() => expect(decodePem(text, 'CERTIFICATE').der).toEqual(der))).toBeLessThan(500);
  });
});

describe('PEM block boundaries (what the regular expression matched, kept)', () => {
  const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
  const body = 'MAMCAQU=';

  it('takes the shortest label and the first END whose line closes it', () => {
    const text = `-----BEGIN A-----\n${body}\n-----END A\n-----END A-----`;
    // The first END has no closing dashes on its line, so the body runs on to the second.
    expect(() => decodePemBlocks(text)).toThrow(/base64/);
    const [block] = decodePemBlocks(`junk -----BEGIN A-----\n${body}\n-----END A-----trailer`);
    expect(block!.label).toBe('A');
    expect(block!.der).toEqual(der);
  });

  it('skips a BEGIN whose label line never closes and reads the next block', () => {
    const blocks = decodePemBlocks(`-----BEGIN broken\n-----BEGIN B-----\n${body}\n-----END B-----\n`);
    expect(blocks.map((b) => b.label)).toEqual(['B']);
  });

  it('reads consecutive blocks and none when END is missing', () => {
    const two = `-----BEGIN A-----\n${body}\n-----END A----------BEGIN B-----\n${body}\n-----END B-----`;
    expect(decodePemBlocks(two).map((b) => b.label)).toEqual(['A', 'B']);
    expect(decodePemBlocks(`-----BEGIN A-----\n${body}\n`)).toEqual([]);
  });

  it('does not let a label span lines', () => {
    expect(decodePemBlocks(`-----BEGIN A\nB-----\n${body}\n-----END A\nB-----`)).toEqual([]);
  });
});

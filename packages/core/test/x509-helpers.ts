/**
 * Shared set-up for the X.509 tests: a temporary directory and the system openssl, the
 * independent implementation ecp's certificates and requests must agree with.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl, opensslOk } from '@ecp/testkit/openssl';
import { childrenOf, decodeDer } from '../src/der/reader.js';
import * as der from '../src/der/writer.js';

export { openssl, opensslOk };

export interface Workdir {
  readonly dir: string;
  path(name: string): string;
  write(name: string, content: string | Uint8Array): string;
  remove(): void;
}

export function makeWorkdir(prefix: string): Workdir {
  const dir = mkdtempSync(join(tmpdir(), `ecp-${prefix}-`));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** stdout of a successful openssl run, as text. */
export const opensslText = (args: readonly string[]): string => opensslOk(args).stdout.toString('utf8');

/** The encodings of the elements inside a SEQUENCE (or any constructed element). */
export const partsOf = (encoding: Uint8Array): Uint8Array[] => childrenOf(decodeDer(encoding)).map((e) => e.bytes);

/** Re-wraps parts as a SEQUENCE: the way the strictness tests rebuild altered certificates. */
export const rewrap = (parts: readonly Uint8Array[]): Uint8Array => der.sequence(...parts);

/** `tag 0x81 len value` for an element whose length fits in short form: valid BER, not DER. */
export function longFormLength(element: Uint8Array): Uint8Array {
  const e = decodeDer(element);
  if (e.value.length >= 0x80) throw new Error('already long form');
  return Uint8Array.of(e.tag, 0x81, e.value.length, ...e.value);
}

/**
 * The browser-safe halves of x509/ and ecdsa/ must never reach a node: module (the browser
 * SDK bundles them through core/portable), and the Node entry must expose the whole API.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '../src/index.js';
import * as portableEntry from '../src/portable.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

/** Every module a file reaches through value imports (type-only imports vanish at runtime). */
function reachable(entry: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(entry)) return seen;
  const specifiers: string[] = [];
  seen.set(entry, specifiers);
  for (const match of readFileSync(entry, 'utf8').matchAll(IMPORT)) {
    if (match[1]) continue;
    const specifier = match[2]!;
    specifiers.push(specifier);
    if (specifier.startsWith('.')) reachable(join(dirname(entry), specifier.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('portable modules', () => {
  it.each(['x509/portable.ts', 'ecdsa/portable.ts'])('%s reaches no node: module', (entry) => {
    const graph = reachable(join(SRC, entry));
    const nodeImports = [...graph].flatMap(([file, specifiers]) =>
      specifiers.filter((s) => s.startsWith('node:') || !s.startsWith('.')).map((s) => `${file.slice(SRC.length)} -> ${s}`),
    );
    expect(nodeImports).toEqual([]);
    expect(graph.size).toBeGreaterThan(5);
  });

  it('the portable entry exposes the parsers and builders, not the node:crypto parts', () => {
    for (const name of ['parseCertificate', 'parseCsr', 'buildCsrInfo', 'assembleCsr', 'buildTbsCertificate', 'assembleCertificate', 'namesMatch', 'checkValidity', 'parseDerSignature', 'derToP1363', 'p1363ToDer']) {
      expect(typeof (portableEntry as Record<string, unknown>)[name], name).toBe('function');
    }
    for (const name of ['verifySignature', 'signMessage', 'fingerprint', 'createSelfSignedCertificate', 'verifyCsr']) {
      expect((portableEntry as Record<string, unknown>)[name], name).toBeUndefined();
    }
  });

  it('the Node entry exposes the API of docs/ARCHITECTURE.md', () => {
    for (const name of ['parseCertificate', 'fingerprint', 'checkValidity', 'createSelfSignedCertificate', 'issueCertificate', 'parseCsr', 'verifyCsr', 'createCsr', 'signMessage', 'verifySignature', 'parseDerSignature', 'derToP1363', 'p1363ToDer']) {
      expect(typeof (nodeEntry as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});

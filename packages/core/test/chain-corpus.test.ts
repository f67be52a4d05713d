// Internal consistency of the X.509 certification-path corpus (packages/test-vectors/chains),
// before any verifier uses it: enough cases, every reason code, every file present and
// readable, denylist fingerprints that name certificates of their case, and OpenSSL's recorded
// verdict agreeing with the expected validity wherever the corpus does not say why it differs,
// re-checked by running each recorded openssl command again.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// A relative import: the package index (owned elsewhere) does not re-export the chain loader yet.
import { CHAIN_FAILURE_REASONS, loadChainCorpus, type ChainCase, type ChainFile } from '@ecp/test-vectors';

const corpus = loadChainCorpus();
const pemText = (file: ChainFile): string => new TextDecoder().decode(file.bytes);
const certificateFiles = (c: ChainCase): ChainFile[] =>
  [c.leaf, ...c.trustAnchors, ...c.intermediates].filter((f) => f.encoding === 'pem');
const opensslSaysValid = (c: ChainCase): boolean => c.openssl.verdict === 'ok';

describe('chain corpus', () => {
  it('has at least 60 cases with unique ids', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
  });

  it('exercises every reason code and has valid cases', () => {
    const seen = new Set(corpus.map((c) => (c.expected.valid ? 'valid' : c.expected.reason)));
    expect([...seen].sort()).toEqual(['valid', ...CHAIN_FAILURE_REASONS].sort());
  });

  it('has every file on disk, PEM files with the right label, and certificates Node can read', () => {
    const problems: string[] = [];
    for (const c of corpus) {
      for (const file of [c.leaf, ...c.trustAnchors, ...c.intermediates, ...c.crls]) {
        if (!existsSync(file.absolutePath) || file.bytes.length === 0) problems.push(`${c.id}: ${file.name} missing or empty`);
      }
      for (const crl of c.crls) {
        if (!pemText(crl).startsWith('-----BEGIN X509 CRL-----')) problems.push(`${c.id}: ${crl.name} is not a PEM CRL`);
      }
      // Byte-surgery leaves are .der on purpose; everything stored as PEM must be a sound certificate.
      for (const cert of certificateFiles(c)) {
        try {
          new X509Certificate(cert.bytes);
        } catch (error) {
          problems.push(`${c.id}: ${cert.name} does not parse: ${String(error)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('stores byte-surgery leaves as DER, and only for malformed cases', () => {
    const derLeaves = corpus.filter((c) => c.leaf.encoding === 'der');
    expect(derLeaves.length).toBeGreaterThanOrEqual(4);
    for (const c of derLeaves) expect(c.expected, c.id).toEqual({ valid: false, reason: 'malformed' });
  });

  it('lists denylist fingerprints that belong to certificates of the same case (or to none, for the unrelated case)', () => {
    for (const c of corpus.filter((x) => x.revokedFingerprints.length > 0)) {
      const inCase = new Set(certificateFiles(c).map((f) => new X509Certificate(f.bytes).fingerprint256.replaceAll(':', '').toLowerCase()));
      const hits = c.revokedFingerprints.filter((fp) => inCase.has(fp));
      if (c.expected.valid) expect(hits, c.id).toEqual([]);
      else expect(hits.length, c.id).toBeGreaterThan(0);
    }
  });

  it("agrees with OpenSSL's validity wherever it does not document a difference, and differs wherever it does", () => {
    const contradictions: string[] = [];
    for (const c of corpus) {
      const agrees = c.expected.valid === opensslSaysValid(c);
      if (c.differsFromOpenssl === undefined && c.revokedFingerprints.length === 0 && !agrees) {
        contradictions.push(`${c.id}: expected ${JSON.stringify(c.expected)}, openssl ${c.openssl.verdict} ${c.openssl.error ?? ''}`);
      }
      if (c.differsFromOpenssl !== undefined && agrees) contradictions.push(`${c.id}: says it differs, but openssl agrees`);
    }
    expect(contradictions).toEqual([]);
    // The differences are the documented exceptions, not the rule.
    expect(corpus.filter((c) => c.differsFromOpenssl !== undefined).length).toBeLessThan(corpus.length / 4);
  });

  it('records what openssl verify really says: each stored command gives the stored verdict again', () => {
    const stale: string[] = [];
    for (const c of corpus) {
      const [program, ...args] = c.openssl.command.split(' ');
      expect(program).toBe('openssl');
      const run = spawnSync('openssl', args, { cwd: c.directory, encoding: 'utf8', timeout: 10_000 });
      const output = `${run.stdout}${run.stderr}`;
      const verdict = run.status === 0 && /: OK$/m.test(run.stdout) ? 'ok' : 'error';
      const firstError = /^error \d+ at \d+ depth lookup: (.*)$/m.exec(output)?.[1];
      if (verdict !== c.openssl.verdict) stale.push(`${c.id}: openssl now says ${verdict}, corpus says ${c.openssl.verdict}`);
      else if (firstError !== undefined && firstError !== c.openssl.error) {
        stale.push(`${c.id}: openssl now says "${firstError}", corpus says "${c.openssl.error ?? ''}"`);
      }
    }
    expect(stale).toEqual([]);
  });
});

/**
 * The revocation data of the client-certificate check and where it comes from: lists given
 * in code (`crls`, `revokedFingerprints`) and files (`crlFiles`, `revokedFingerprintsFile`)
 * that an operator replaces while the server runs. The effective data is the union of both.
 *
 * Files are read in full and parsed before anything changes: a half-written or broken file
 * fails the reload and the previous data stays in force (it fails closed on its own once a
 * CRL's nextUpdate passes).
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { EcpError, MalformedInputError, normalizeFingerprint, parseCrls, type CertificateRevocationList, type CrlInput } from '@ecp/core';

/** Bound on a denylist file: 64 hex digits and a newline per entry, a million entries and comments. */
export const MAX_DENYLIST_FILE_BYTES = 128 * 1024 * 1024;

export interface RevocationData {
  crls: CertificateRevocationList[];
  /** Lower-case hex SHA-256, no separators. */
  revokedFingerprints: string[];
  /** The earliest nextUpdate of the CRLs (epoch ms), or Infinity: cached verdicts must not outlive it. */
  freshUntil: number;
}

export interface RevocationFiles {
  crlFiles: readonly string[];
  revokedFingerprintsFile: string | undefined;
}

export interface InlineRevocation {
  crls: readonly CrlInput[];
  revokedFingerprints: readonly string[];
}

function parseCrlInputs(inputs: readonly CrlInput[], what: (i: number) => string): CertificateRevocationList[] {
  return inputs.flatMap((input, i) => {
    if (typeof input !== 'string' && !(input instanceof Uint8Array)) return [input];
    try {
      return parseCrls(input);
    } catch (error) {
      const detail = error instanceof EcpError ? error.message : String(error);
      throw new MalformedInputError(`${what(i)}: ${detail}`, { cause: error });
    }
  });
}

/** Fingerprints of a denylist file: one per line, `#` starts a comment, colons optional. */
export function parseDenylist(text: string, file: string): string[] {
  const fingerprints: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/#.*$/, '').trim();
    if (line.length === 0) continue;
    try {
      fingerprints.push(normalizeFingerprint(line));
    } catch {
      throw new MalformedInputError(`${file}:${i + 1} is not a SHA-256 fingerprint (64 hex digits, colons optional)`);
    }
  }
  return fingerprints;
}

function checkedDenylistText(bytes: Buffer, file: string): string {
  if (bytes.length > MAX_DENYLIST_FILE_BYTES) throw new MalformedInputError(`${file} is larger than ${MAX_DENYLIST_FILE_BYTES} bytes`);
  return bytes.toString('utf8');
}

/** Combines already-parsed parts into the data handed to the verifier. */
export function revocationData(crls: CertificateRevocationList[], fingerprints: readonly string[]): RevocationData {
  let freshUntil = Infinity;
  for (const crl of crls) if (crl.nextUpdate !== undefined) freshUntil = Math.min(freshUntil, crl.nextUpdate.getTime());
  return { crls, revokedFingerprints: [...new Set(fingerprints)], freshUntil };
}

/** Parses the inline lists (throws `MalformedInputError` naming the bad entry). */
export function parseInline(inline: InlineRevocation): { crls: CertificateRevocationList[]; revokedFingerprints: string[] } {
  const crls = parseCrlInputs(inline.crls, (i) => `crls #${i + 1}`);
  const revokedFingerprints = inline.revokedFingerprints.map((fp, i) => {
    try {
      return normalizeFingerprint(fp);
    } catch (error) {
      throw new MalformedInputError(`revokedFingerprints #${i + 1} is not a SHA-256 fingerprint (64 hex digits, colons optional)`, { cause: error });
    }
  });
  return { crls, revokedFingerprints };
}

/** Reads and parses the files at start-up (synchronously: the application is not serving yet). */
export function readRevocationFilesSync(files: RevocationFiles): { crls: CertificateRevocationList[]; revokedFingerprints: string[] } {
  const crls = parseCrlInputs(files.crlFiles.map((file) => readFileSync(file)), (i) => files.crlFiles[i] as string);
  const file = files.revokedFingerprintsFile;
  const revokedFingerprints = file === undefined ? [] : parseDenylist(checkedDenylistText(readFileSync(file), file), file);
  return { crls, revokedFingerprints };
}

/** Reads and parses the files again without blocking the event loop on I/O. */
export async function readRevocationFiles(files: RevocationFiles): Promise<{ crls: CertificateRevocationList[]; revokedFingerprints: string[] }> {
  const contents = await Promise.all(files.crlFiles.map((file) => readFile(file)));
  const crls = parseCrlInputs(contents, (i) => files.crlFiles[i] as string);
  const file = files.revokedFingerprintsFile;
  const revokedFingerprints = file === undefined ? [] : parseDenylist(checkedDenylistText(await readFile(file), file), file);
  return { crls, revokedFingerprints };
}

/** What a poll compares: a change of inode (rename over the file), size or mtime. */
const fingerprintOf = (stats: Stats): string => `${stats.ino}:${stats.size}:${stats.mtimeMs}`;

/**
 * Calls `onChange` when any of the files changes (by polling its stat, which also sees the
 * rename-over-the-old-file way editors and `mv` replace files, unlike inotify watches on the
 * old inode). Returns the function that stops watching.
 *
 * The baseline is taken synchronously here, right after the caller read the files:
 * `fs.watchFile` takes its first stat later, on the poll thread, and a change made in
 * between was never seen.
 */
export function watchRevocationFiles(files: RevocationFiles, intervalMs: number, onChange: () => void): () => void {
  const paths = [...files.crlFiles, ...(files.revokedFingerprintsFile === undefined ? [] : [files.revokedFingerprintsFile])];
  const statNow = (path: string): string => {
    try {
      return fingerprintOf(statSync(path));
    } catch {
      return 'missing';
    }
  };
  let seen = paths.map(statNow);
  let polling = false;
  const timer = setInterval(() => {
    if (polling) return;
    polling = true;
    Promise.all(paths.map((path) => stat(path).then(fingerprintOf, () => 'missing')))
      .then((current) => {
        if (current.some((value, i) => value !== seen[i])) {
          seen = current;
          onChange();
        }
      })
      .finally(() => {
        polling = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

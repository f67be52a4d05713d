// Node-side loader of the X.509 certification-path corpus: chains/corpus.json and the files
// under chains/cases/<id>/, made by chains/make-chains.sh (see chains/README.md for the rules
// the cases fix). The corpus is checked as it loads, so a hand-edited or half-made corpus fails
// here with a message that says how to regenerate it, not later inside a verifier test.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the chains/ directory of this package (ends with a slash). */
export const CHAIN_CORPUS_DIR = fileURLToPath(new URL('../chains/', import.meta.url));
const CORPUS_JSON = `${CHAIN_CORPUS_DIR}corpus.json`;
const REGENERATE = 'bash packages/test-vectors/chains/make-chains.sh';

/** Largest file the corpus may hold; real certificates and CRLs here are under 3 KiB. */
const MAX_FILE_BYTES = 64 * 1024;
const MAX_CORPUS_BYTES = 1024 * 1024;

/** Why a path is rejected: the reason codes of `verifyCertificateChain` / `ecp verify-chain`. */
export const CHAIN_FAILURE_REASONS = [
  'expired',
  'not_yet_valid',
  'untrusted',
  'bad_signature',
  'not_a_ca',
  'path_length',
  'key_usage',
  'eku',
  'critical_extension',
  'revoked',
  'weak_algorithm',
  'malformed',
] as const;
export type ChainFailureReason = (typeof CHAIN_FAILURE_REASONS)[number];

export type ChainExpectation = { valid: true } | { valid: false; reason: ChainFailureReason };

/** What `openssl verify` said about the case when the corpus was made. */
export interface OpensslChainVerdict {
  verdict: 'ok' | 'error';
  /** OpenSSL's first error, e.g. "certificate has expired" (absent when verdict is ok). */
  error?: string;
  /** Depth of that error in OpenSSL's chain (0 = leaf), when OpenSSL reported one. */
  depth?: number;
  /** The exact command, to be run from the case's directory. */
  command: string;
}

/** One case as stored in corpus.json (file names relative to cases/<id>/). */
export interface ChainCorpusEntry {
  id: string;
  /** The group of rules the case belongs to, e.g. "validity", "revocation". */
  rule: string;
  description: string;
  leaf: string;
  trustAnchors: string[];
  intermediates: string[];
  crls: string[];
  /** Lower-case hex SHA-256 fingerprints of the DER: the denylist. */
  revokedFingerprints: string[];
  /** Evaluation time, ISO 8601 in UTC. */
  at: string;
  expected: ChainExpectation;
  openssl: OpensslChainVerdict;
  /** Set when our verdict deliberately differs from OpenSSL's; says why. */
  differsFromOpenssl?: string;
}

/** A file of a case with its content: PEM text or DER bytes, exactly as stored. */
export interface ChainFile {
  name: string;
  absolutePath: string;
  encoding: 'pem' | 'der';
  bytes: Uint8Array;
}

/** A case ready for a verifier test: the entry with every file read and `at` parsed. */
export interface ChainCase extends Omit<ChainCorpusEntry, 'leaf' | 'trustAnchors' | 'intermediates' | 'crls' | 'at'> {
  directory: string;
  leaf: ChainFile;
  trustAnchors: ChainFile[];
  intermediates: ChainFile[];
  crls: ChainFile[];
  at: Date;
  /** `at` as written in corpus.json. */
  atIso: string;
}

export class ChainCorpusError extends Error {
  override name = 'ChainCorpusError';
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(pem|der)$/;
const REASONS: ReadonlySet<string> = new Set(CHAIN_FAILURE_REASONS);

/** corpus.json, checked: unique ids, known reasons, valid times, fingerprints and file names, every file present. */
export function loadChainCorpusEntries(): ChainCorpusEntry[] {
  if (!existsSync(CORPUS_JSON)) throw new ChainCorpusError(`${CORPUS_JSON} is missing; run ${REGENERATE}`);
  if (statSync(CORPUS_JSON).size > MAX_CORPUS_BYTES) throw new ChainCorpusError(`${CORPUS_JSON} is too large`);
  const parsed: unknown = JSON.parse(readFileSync(CORPUS_JSON, 'utf8'));
  if (!Array.isArray(parsed)) throw new ChainCorpusError(`${CORPUS_JSON}: not an array of cases`);
  const ids = new Set<string>();
  return parsed.map((raw: unknown, index) => {
    const entry = checkEntry(raw, index);
    if (ids.has(entry.id)) throw new ChainCorpusError(`${CORPUS_JSON}: case ${entry.id} appears twice`);
    ids.add(entry.id);
    return entry;
  });
}

/** Every case with its files read. */
export function loadChainCorpus(): ChainCase[] {
  return loadChainCorpusEntries().map(withFiles);
}

/** One case by id; throws if there is none. */
export function chainCase(id: string): ChainCase {
  const entry = loadChainCorpusEntries().find((e) => e.id === id);
  if (!entry) throw new ChainCorpusError(`no case ${id} in ${CORPUS_JSON}`);
  return withFiles(entry);
}

function withFiles(entry: ChainCorpusEntry): ChainCase {
  const directory = `${CHAIN_CORPUS_DIR}cases/${entry.id}/`;
  const read = (name: string): ChainFile => {
    const absolutePath = `${directory}${name}`;
    return {
      name,
      absolutePath,
      encoding: name.endsWith('.der') ? 'der' : 'pem',
      bytes: new Uint8Array(readFileSync(absolutePath)),
    };
  };
  const { leaf, trustAnchors, intermediates, crls, at, ...rest } = entry;
  return {
    ...rest,
    directory,
    leaf: read(leaf),
    trustAnchors: trustAnchors.map(read),
    intermediates: intermediates.map(read),
    crls: crls.map(read),
    at: new Date(at),
    atIso: at,
  };
}

function checkEntry(raw: unknown, index: number): ChainCorpusEntry {
  const where = `${CORPUS_JSON} case #${index}`;
  const bad = (what: string): never => {
    throw new ChainCorpusError(`${where}: ${what}`);
  };
  if (!isRecord(raw)) return bad('not an object');
  const id = stringField(raw, 'id', bad);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) bad(`id ${JSON.stringify(id)} is not lower-case-with-dashes`);
  const files = (field: string): string[] => {
    const value = raw[field];
    if (!Array.isArray(value) || !value.every((f): f is string => typeof f === 'string')) {
      return bad(`${id}.${field} is not an array of file names`);
    }
    return value.map((f) => checkFile(id, f, bad));
  };
  const at = stringField(raw, 'at', bad);
  if (!ISO_UTC.test(at) || Number.isNaN(Date.parse(at))) bad(`${id}.at ${JSON.stringify(at)} is not YYYY-MM-DDTHH:MM:SSZ`);
  const fingerprints = raw['revokedFingerprints'];
  if (!Array.isArray(fingerprints) || !fingerprints.every((f) => typeof f === 'string' && SHA256_HEX.test(f))) {
    return bad(`${id}.revokedFingerprints must be lower-case hex SHA-256 values`);
  }
  const entry: ChainCorpusEntry = {
    id,
    rule: stringField(raw, 'rule', bad),
    description: stringField(raw, 'description', bad),
    leaf: checkFile(id, stringField(raw, 'leaf', bad), bad),
    trustAnchors: files('trustAnchors'),
    intermediates: files('intermediates'),
    crls: files('crls'),
    revokedFingerprints: fingerprints as string[],
    at,
    expected: checkExpected(id, raw['expected'], bad),
    openssl: checkOpenssl(id, raw['openssl'], bad),
  };
  if (entry.trustAnchors.length === 0) bad(`${id} has no trust anchor`);
  const differs = raw['differsFromOpenssl'];
  if (differs !== undefined) {
    if (typeof differs !== 'string' || differs.length === 0) bad(`${id}.differsFromOpenssl must be a non-empty string`);
    entry.differsFromOpenssl = differs as string;
  }
  return entry;
}

function checkFile(id: string, name: string, bad: (what: string) => never): string {
  if (!FILE_NAME.test(name)) bad(`${id}: file name ${JSON.stringify(name)} is not a plain .pem or .der name`);
  const path = `${CHAIN_CORPUS_DIR}cases/${id}/${name}`;
  if (!existsSync(path)) throw new ChainCorpusError(`${path} (case ${id}) is missing; run ${REGENERATE}`);
  const size = statSync(path).size;
  if (size === 0 || size > MAX_FILE_BYTES) bad(`${path} has an implausible size (${size} bytes)`);
  return name;
}

function checkExpected(id: string, value: unknown, bad: (what: string) => never): ChainExpectation {
  if (!isRecord(value)) return bad(`${id}.expected is not an object`);
  if (value['valid'] === true && value['reason'] === undefined) return { valid: true };
  const reason = value['reason'];
  if (value['valid'] === false && typeof reason === 'string' && REASONS.has(reason)) {
    return { valid: false, reason: reason as ChainFailureReason };
  }
  return bad(`${id}.expected must be {valid: true} or {valid: false, reason: <one of ${CHAIN_FAILURE_REASONS.join(', ')}>}`);
}

function checkOpenssl(id: string, value: unknown, bad: (what: string) => never): OpensslChainVerdict {
  if (!isRecord(value)) return bad(`${id}.openssl is not an object`);
  const verdict = value['verdict'];
  if (verdict !== 'ok' && verdict !== 'error') return bad(`${id}.openssl.verdict must be "ok" or "error"`);
  const command = stringField(value, 'command', bad);
  if (!command.startsWith('openssl verify ')) bad(`${id}.openssl.command is not an openssl verify command`);
  const result: OpensslChainVerdict = { verdict, command };
  const error = value['error'];
  if (verdict === 'error') {
    if (typeof error !== 'string' || error.length === 0) bad(`${id}.openssl.error is required when the verdict is error`);
    result.error = error as string;
  } else if (error !== undefined) {
    bad(`${id}.openssl.error must be absent when the verdict is ok`);
  }
  const depth = value['depth'];
  if (depth !== undefined) {
    if (!Number.isInteger(depth) || (depth as number) < 0) bad(`${id}.openssl.depth must be a non-negative integer`);
    result.depth = depth as number;
  }
  return result;
}

function stringField(record: Record<string, unknown>, field: string, bad: (what: string) => never): string {
  const value = record[field];
  return typeof value === 'string' && value.length > 0 ? value : bad(`${field} must be a non-empty string`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

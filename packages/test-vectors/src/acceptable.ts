// Wycheproof marks some vectors `acceptable`: a correct implementation may accept or reject
// them (e.g. an RSA PKCS#1 signature whose DigestInfo lacks the NULL parameters). Counting
// them as passes or failures would hide a behaviour change, so each implementation records
// its decision for every acceptable vector in a committed JSON file, and its test fails when
// a decision changes, appears or disappears. Pure data functions, no Node imports: the
// outcomes may come from a browser page.
import type { WycheproofFile, WycheproofGroup, WycheproofResult } from './wycheproof-types.js';

export type AcceptableDecision = 'accepted' | 'rejected';

/**
 * What an implementation did with one vector. `accepted` means it took the vector as good:
 * a verify returned true, a decryption or derivation produced the vector's expected output,
 * a MAC check passed. Rejecting includes throwing.
 */
export interface VectorOutcome {
  tcId: number;
  accepted: boolean;
}

/** The committed record for one Wycheproof file. */
export interface AcceptableRecord {
  /** Wycheproof file name, e.g. rsa_signature_2048_sha256_test.json. */
  file: string;
  /** tcId -> decision, for exactly the file's acceptable vectors (keys in numeric order). */
  decisions: Record<string, AcceptableDecision>;
  /** tcId -> the vector's comment and flags; for the person reviewing the file, not compared. */
  about: Record<string, string>;
}

export interface FailedVector {
  tcId: number;
  result: Exclude<WycheproofResult, 'acceptable'>;
  accepted: boolean;
  comment: string;
  flags: string[];
}

export interface OutcomeReport {
  total: number;
  /** valid vectors accepted plus invalid vectors rejected. */
  passed: number;
  /** valid vectors rejected and invalid vectors accepted: each one is a bug. */
  failures: FailedVector[];
  /** Decisions on the acceptable vectors, to compare with the committed record. */
  acceptable: AcceptableRecord;
}

/**
 * Sorts an implementation's outcomes into passes, failures and acceptable decisions. Throws
 * unless there is exactly one outcome per test of the file: a vector left out would be a
 * silent skip.
 */
export function evaluateOutcomes<G extends WycheproofGroup>(
  fileName: string,
  file: WycheproofFile<G>,
  outcomes: Iterable<VectorOutcome>,
): OutcomeReport {
  const byId = new Map<number, boolean>();
  for (const o of outcomes) {
    if (byId.has(o.tcId)) throw new Error(`${fileName}: two outcomes for tcId ${o.tcId}`);
    byId.set(o.tcId, o.accepted);
  }
  const report: OutcomeReport = {
    total: 0,
    passed: 0,
    failures: [],
    acceptable: { file: fileName, decisions: {}, about: {} },
  };
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      const accepted = byId.get(test.tcId);
      if (accepted === undefined) throw new Error(`${fileName}: no outcome for tcId ${test.tcId}`);
      byId.delete(test.tcId);
      report.total++;
      if (test.result === 'acceptable') {
        report.acceptable.decisions[String(test.tcId)] = accepted ? 'accepted' : 'rejected';
        report.acceptable.about[String(test.tcId)] = describe(test.comment, test.flags);
      } else if (accepted === (test.result === 'valid')) {
        report.passed++;
      } else {
        report.failures.push({ tcId: test.tcId, result: test.result, accepted, comment: test.comment, flags: test.flags });
      }
    }
  }
  if (byId.size > 0) throw new Error(`${fileName}: outcomes for tcIds not in the file: ${[...byId.keys()].join(', ')}`);
  return report;
}

function describe(comment: string, flags: string[]): string {
  return flags.length > 0 ? `${comment} [${flags.join(', ')}]` : comment;
}

/** The record as committed: stable key order, two-space indent, final newline. */
export function formatAcceptableRecord(record: AcceptableRecord): string {
  const ordered = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).sort(([a], [b]) => Number(a) - Number(b)));
  return `${JSON.stringify({ file: record.file, decisions: ordered(record.decisions), about: ordered(record.about) }, null, 2)}\n`;
}

/** Differences between what the implementation decided now and the committed record ([] = same). */
export function diffAcceptableRecords(actual: AcceptableRecord, committed: AcceptableRecord): string[] {
  const diffs: string[] = [];
  if (actual.file !== committed.file) diffs.push(`file: committed ${committed.file}, now ${actual.file}`);
  const ids = new Set([...Object.keys(actual.decisions), ...Object.keys(committed.decisions)]);
  for (const id of [...ids].sort((a, b) => Number(a) - Number(b))) {
    const now = actual.decisions[id];
    const before = committed.decisions[id];
    if (now === before) continue;
    if (before === undefined) diffs.push(`tcId ${id}: ${now} now, but not in the committed record`);
    else if (now === undefined) diffs.push(`tcId ${id}: in the committed record (${before}) but not an acceptable vector now`);
    else diffs.push(`tcId ${id}: committed ${before}, now ${now}`);
  }
  return diffs;
}

/** Parses a committed record, checking its shape. */
export function parseAcceptableRecord(text: string, source: string): AcceptableRecord {
  const data: unknown = JSON.parse(text);
  const ok =
    typeof data === 'object' &&
    data !== null &&
    typeof (data as AcceptableRecord).file === 'string' &&
    typeof (data as AcceptableRecord).decisions === 'object' &&
    Object.values((data as AcceptableRecord).decisions ?? {}).every((d) => d === 'accepted' || d === 'rejected');
  if (!ok) throw new Error(`${source}: not an acceptable-decision record ({file, decisions: {tcId: accepted|rejected}})`);
  const record = data as AcceptableRecord;
  return { file: record.file, decisions: record.decisions, about: record.about ?? {} };
}

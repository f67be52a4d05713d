// Node side of the acceptable-vector records: compares what a test run decided with the
// JSON file committed next to the test. Nothing is ever written automatically: a missing or
// different file fails the test and prints the JSON to review and commit.
import { existsSync, readFileSync } from 'node:fs';
import {
  diffAcceptableRecords,
  formatAcceptableRecord,
  parseAcceptableRecord,
  type AcceptableRecord,
} from './acceptable.js';
import { TestVectorsError } from './wycheproof.js';

/**
 * Throws unless `actual` equals the record committed at `decisionFile` (an absolute path,
 * e.g. packages/core/test/acceptable/rsa_signature_2048_sha256.json).
 */
export function assertAcceptableDecisions(actual: AcceptableRecord, decisionFile: string): void {
  const proposed = formatAcceptableRecord(actual);
  if (!existsSync(decisionFile)) {
    throw new TestVectorsError(
      `no committed decision file ${decisionFile} for the acceptable vectors of ${actual.file}. ` +
        `Review these decisions and commit them as that file:\n${proposed}`,
    );
  }
  const committed = parseAcceptableRecord(readFileSync(decisionFile, 'utf8'), decisionFile);
  const diffs = diffAcceptableRecords(actual, committed);
  if (diffs.length > 0) {
    throw new TestVectorsError(
      `decisions on acceptable vectors of ${actual.file} changed against ${decisionFile}:\n  ${diffs.join('\n  ')}\n` +
        `If the change is intended, review it and commit:\n${proposed}`,
    );
  }
}

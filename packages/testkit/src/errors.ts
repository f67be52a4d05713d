/**
 * Failures of the test harness itself (a service that will not start, a tool that is
 * missing). They are deliberately not part of `@ecp/core`'s `EcpError` tree: that tree
 * describes what the product reports to its users, while these only ever reach a test
 * log and say which machine-level thing to fix.
 */
export type TestkitErrorCode =
  | 'TESTKIT_MISSING_PROGRAM'
  | 'TESTKIT_START_FAILED'
  | 'TESTKIT_TIMEOUT'
  | 'TESTKIT_BAD_CONFIG'
  | 'TESTKIT_COMMAND_FAILED';

export class TestkitError extends Error {
  readonly code: TestkitErrorCode;

  constructor(message: string, code: TestkitErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestkitError';
    this.code = code;
  }
}

/** The last `maxLines` lines of a log, for error messages that must stay readable. */
export function tail(text: string, maxLines = 30): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-maxLines).join('\n');
}

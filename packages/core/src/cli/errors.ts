/**
 * The CLI's own control flow: a command line that cannot be run (exit 2, with the usage) and
 * a request for help (exit 0, usage on stdout). The dispatcher in `run.ts` turns both, and
 * every other error, into output and an exit code.
 */
import { EcpError } from '../errors.js';

/** The command line is wrong: unknown option, missing or repeated value, bad number. */
export class UsageError extends EcpError {
  static override name = 'UsageError';
  constructor(message: string) {
    super(message, 'ECP_ERROR');
  }
}

/**
 * `--help` or `-h` was given. Thrown by the argument parser so that no command has to check
 * for it; not an EcpError because nothing failed.
 */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

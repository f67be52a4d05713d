/**
 * What a command may touch of the outside world, passed in rather than reached for, so that
 * tests can run a command in-process with captured output, a fixed environment and a scripted
 * passphrase.
 */

/** Where text goes: `process.stdout`, `process.stderr`, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
}

/**
 * Where a passphrase comes from, as the user gave it: the values of `--passphrase-env` and
 * `--passphrase-file` (both absent means: prompt on the terminal, if there is one).
 */
export interface PassphraseSource {
  readonly passphraseEnv?: string | undefined;
  readonly passphraseFile?: string | undefined;
}

export interface PassphraseRequest extends PassphraseSource {
  /** What the passphrase is for, shown in the prompt and in errors: `the key file alice.key`. */
  readonly purpose: string;
  /** A passphrase for a file being created: the prompt asks twice, and it may not be empty. */
  readonly confirm?: boolean;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * The passphrase from the source the user chose: the named environment variable, the first
   * line of the file, or a no-echo prompt on the terminal. Throws an EcpError (exit 2) when
   * none is available or both options are given; never echoes or logs the value.
   */
  readPassphrase(request: PassphraseRequest): Promise<string>;
}

/** The contract of every module in `cli/commands/`: the file name is the command name. */
export interface CliCommand {
  /** The word after `ecp` (`keygen`, `verify-chain`): equal to the module's file name. */
  readonly name: string;
  /** One line for `ecp --help`. */
  readonly summary: string;
  /** The whole text `ecp <name> --help` prints. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code (0, 1 or 2). */
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * The dispatcher: `ecp <command> [options]`, `ecp --help`, `ecp <command> --help`, and the
 * one place where errors become output and exit codes:
 *
 * - 0 success / valid; 1 verification failed (a reason code on stdout); 2 bad usage or
 *   unreadable input, with one line on stderr.
 * - An {@link EcpError} prints its message (key-file errors carry their advice); a
 *   {@link CertificatePathError} is a verification verdict (`invalid: <reason>`, exit 1).
 * - Anything else is a bug: `ecp: internal error: <message>`, the stack only with ECP_DEBUG=1.
 */
import { CertificatePathError } from '../chain/errors.js';
import { EcpError } from '../errors.js';
import { HelpRequested, UsageError } from './errors.js';
import { describeFileError } from './files.js';
import type { CliCommand, CliIo } from './io.js';
import { commandsDirectory, type CommandRegistry } from './registry.js';

export interface RunOptions {
  /** Print stacks of internal errors (ECP_DEBUG=1). */
  readonly debug?: boolean;
  readonly version?: string;
  /** The commands (default: every module in `cli/commands/`). */
  readonly registry?: CommandRegistry;
}

async function topLevelUsage(registry: CommandRegistry): Promise<string> {
  const lines: string[] = [];
  for (const name of registry.names()) {
    // One broken module must not take the whole list (and the hint for a typo) with it.
    const summary = await registry.load(name).then(
      (command) => command?.summary,
      (error: unknown) => `(cannot be loaded: ${error instanceof Error ? error.message : String(error)})`,
    );
    if (summary !== undefined) lines.push(`  ${name.padEnd(14)}${summary}`);
  }
  return `Usage: ecp <command> [options]

Keys, certificates and signatures for ecp logins, and client-certificate checks.

Commands:
${lines.join('\n')}

Run 'ecp <command> --help' for a command's options.
Exit codes: 0 success or valid, 1 verification failed (a reason code is printed),
2 bad usage or unreadable input.
`;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

function report(error: unknown, io: CliIo, command: CliCommand | undefined, options: RunOptions): number {
  if (error instanceof HelpRequested && command) {
    io.stdout.write(withNewline(command.usage));
    return 0;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`ecp: ${error.message}\n`);
    io.stderr.write(command ? `\n${withNewline(command.usage)}` : "Run 'ecp --help' for the commands.\n");
    return 2;
  }
  if (error instanceof CertificatePathError) {
    io.stdout.write(`invalid: ${error.reason}\n`);
    io.stderr.write(`ecp: ${error.message}\n`);
    return 1;
  }
  if (error instanceof EcpError) {
    io.stderr.write(`ecp: ${error.message}\n`);
    if (options.debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return 2;
  }
  // A file a command opened itself: still bad input, not a bug.
  const fileReason = describeFileError(error);
  const path = (error as { path?: unknown } | null)?.path;
  if (fileReason && typeof path === 'string') {
    io.stderr.write(`ecp: cannot use ${path}: ${fileReason}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`ecp: internal error: ${message}\n`);
  if (options.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('(set ECP_DEBUG=1 to see where it happened)\n');
  return 2;
}

export async function runCli(argv: readonly string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  const registry = options.registry ?? commandsDirectory;
  let command: CliCommand | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(`ecp: missing command\n\n${await topLevelUsage(registry)}`);
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const helped = topic === undefined ? undefined : await registry.load(topic);
      if (topic !== undefined && !helped) throw new UsageError(`unknown command '${topic}'`);
      io.stdout.write(helped ? withNewline(helped.usage) : await topLevelUsage(registry));
      return 0;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${options.version ?? 'unknown'}\n`);
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command)`);
    command = await registry.load(first);
    if (!command) {
      io.stderr.write(`ecp: unknown command '${first}'\n\n${await topLevelUsage(registry)}`);
      return 2;
    }
    if (rest[0] === '--help' || rest[0] === '-h') throw new HelpRequested();
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io, command, options);
  }
}

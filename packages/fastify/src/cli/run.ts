/**
 * `ecp-fastify <command>`: dispatch, help, and the mapping of failures to exit codes
 * (0 success, 1 the operation failed, 2 bad usage or unreachable input). Never prints a
 * stack trace: every failure becomes one line on stderr.
 */
import { InputError, UsageError } from './args.js';
import { COMMANDS, type CliIo } from './commands.js';
import { rootMessage } from './database.js';

const HELP_FLAGS = new Set(['-h', '--help']);

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: ecp-fastify <command> [options]

Commands:
${lines.join('\n')}

Run "ecp-fastify <command> --help" for a command's options. The database comes from DATABASE_URL.`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.err(overview());
    return 2;
  }
  if (HELP_FLAGS.has(name) || name === 'help') {
    const topic = args[0] === undefined ? undefined : COMMANDS[args[0]];
    io.out(topic?.usage ?? overview());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(`ecp-fastify: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return 2;
  }
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ecp-fastify ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof InputError) {
      io.err(`ecp-fastify ${name}: ${error.message}`);
      return 2;
    }
    io.err(`ecp-fastify ${name}: ${explain(error)}`);
    return 1;
  }
}

/** One line for a database error, with the fix when we know it. */
function explain(error: unknown): string {
  const code = findCode(error);
  if (code === '42P01') return 'the ecp tables do not exist in this database: run "ecp-fastify migrate" first';
  return rootMessage(error);
}

function findCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

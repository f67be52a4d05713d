/**
 * The commands of `ecp`: every module in `cli/commands/`, the file name being the command
 * name (`verify-chain.ts` is `ecp verify-chain`). A module exports `name`, `summary`, `usage`
 * and `run` (or a default object with them). Modules are imported only when needed, so
 * `ecp sign` does not load the path validator.
 */
import { readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './io.js';

/** `.ts` when run from source (tsx), `.js` from the build. */
const EXTENSION = extname(fileURLToPath(import.meta.url));
const COMMANDS_DIR = new URL('./commands/', import.meta.url);
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

/** The order `ecp --help` lists them in; others follow alphabetically. */
const HELP_ORDER = ['keygen', 'sign', 'verify', 'inspect', 'verify-chain', 'ca'];

export function commandNames(): string[] {
  const names = readdirSync(COMMANDS_DIR)
    .filter((file) => file.endsWith(EXTENSION) && !file.endsWith(`.d${EXTENSION}`))
    .map((file) => file.slice(0, -EXTENSION.length))
    .filter((name) => COMMAND_NAME.test(name));
  const rank = (name: string): number => {
    const index = HELP_ORDER.indexOf(name);
    return index === -1 ? HELP_ORDER.length : index;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isCommand(value: unknown): value is CliCommand {
  const candidate = value as Partial<CliCommand> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.summary === 'string' &&
    typeof candidate.usage === 'string' &&
    typeof candidate.run === 'function'
  );
}

/** The command called `name`, or undefined when there is none. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!COMMAND_NAME.test(name) || !commandNames().includes(name)) return undefined;
  const module = (await import(new URL(`${name}${EXTENSION}`, COMMANDS_DIR).href)) as Record<string, unknown>;
  const command = isCommand(module) ? module : module.default;
  if (!isCommand(command) || command.name !== name) {
    throw new Error(`commands/${name}${EXTENSION} does not export a command named '${name}' (name, summary, usage, run)`);
  }
  return command;
}

/** Where the dispatcher finds commands: `cli/commands/` by default, a fixed set in tests. */
export interface CommandRegistry {
  names(): string[];
  load(name: string): Promise<CliCommand | undefined>;
}

export const commandsDirectory: CommandRegistry = { names: commandNames, load: loadCommand };

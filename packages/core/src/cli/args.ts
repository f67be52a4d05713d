/**
 * Strict argument parsing over `node:util` `parseArgs`: unknown options, a missing value, a
 * value given to a flag and the same option given twice are all usage errors (exit 2), with
 * messages short enough to read. `--help`/`-h` anywhere before `--` asks for the usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HelpRequested, UsageError } from './errors.js';
import type { PassphraseSource } from './io.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ArgsSpec<O extends OptionsConfig> {
  readonly options: O;
  /** How many positional arguments the command takes (default: none). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly names: string };
  /**
   * `multiple` options that also take the words after their value, as in `--ca A B C`
   * (contract: `--ca F...`). A word goes to the option only once the command's own
   * positionals are filled, so `--ca A LEAF` still reads LEAF as the positional.
   */
  readonly greedy?: readonly string[];
}

export interface ParsedArgs<O extends OptionsConfig> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];
  readonly positionals: string[];
}

/** Options a passphrase never comes from, named so that the error can say what to use. */
const PASSPHRASE_IN_ARGUMENT = new Set(['--passphrase', '--password', '--pass', '--passin', '-passin']);

const PASSPHRASE_ADVICE = 'passphrases are never taken from the command line: use --passphrase-env NAME, --passphrase-file PATH or the terminal prompt';

function isHelp(token: string): boolean {
  return token === '--help' || token === '-h';
}

function usageMessage(error: Error & { code?: string }): string {
  const message = error.message.split('\n')[0]!;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;
    const name = option.split('=')[0]!;
    return PASSPHRASE_IN_ARGUMENT.has(name) ? `unknown option '${name}': ${PASSPHRASE_ADVICE}` : `unknown option '${name}'`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /^Option '(--?[\w-]+)(?: <value>)?' argument missing/.exec(message);
    if (missing) return `option ${missing[1]} needs a value`;
    const flag = /^Option '(--?[\w-]+)' does not take an argument/.exec(message);
    if (flag) return `option ${flag[1]} does not take a value`;
    const ambiguous = /^Option '(--?[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) return `option ${ambiguous[1]} needs a value (write ${ambiguous[1]}=-VALUE for a value that starts with a dash)`;
  }
  return message;
}

export function parseCommandArgs<const O extends OptionsConfig>(args: readonly string[], spec: ArgsSpec<O>): ParsedArgs<O> {
  const terminator = args.indexOf('--');
  if ((terminator === -1 ? args : args.slice(0, terminator)).some(isHelp)) throw new HelpRequested();

  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: spec.options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    if (error instanceof TypeError || (error instanceof Error && 'code' in error)) throw new UsageError(usageMessage(error));
    throw error;
  }

  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name) && !spec.options[token.name]?.multiple) throw new UsageError(`option --${token.name} is given more than once`);
    seen.add(token.name);
  }

  const { min, max, names } = spec.positionals ?? { min: 0, max: 0, names: '' };
  const positionals: string[] = [];
  const values = parsed.values as Record<string, unknown>;
  let greedyOption: string | undefined;
  for (const token of parsed.tokens) {
    if (token.kind === 'option') greedyOption = spec.greedy?.includes(token.name) ? token.name : undefined;
    else if (token.kind === 'option-terminator') greedyOption = undefined;
    else if (positionals.length >= max && greedyOption !== undefined) (values[greedyOption] as string[]).push(token.value);
    else positionals.push(token.value);
  }
  const count = positionals.length;
  if (count > max) {
    const extra = positionals[max]!;
    throw new UsageError(max === 0 ? `unexpected argument '${extra}'` : `too many arguments: '${extra}' after ${names}`);
  }
  if (count < min) throw new UsageError(`missing ${names}`);
  return { values: parsed.values as ParsedArgs<O>['values'], positionals };
}

/** The value of a required string option. */
export function requireOption(value: string | undefined, option: string): string {
  if (value === undefined) throw new UsageError(`missing --${option}`);
  if (value === '') throw new UsageError(`--${option} may not be empty`);
  return value;
}

/** A whole number in `[min, max]`, written in plain decimal digits. */
export function parseIntegerOption(value: string, option: string, min: number, max: number): number {
  if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--${option} takes a whole number, not '${value}'`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`--${option} must be between ${min} and ${max}`);
  return number;
}

/** Exactly one of two mutually exclusive options (`--message` / `--message-file`). */
export function exactlyOne<T>(a: T | undefined, aName: string, b: T | undefined, bName: string): { which: 'a'; value: T } | { which: 'b'; value: T } {
  if (a !== undefined && b !== undefined) throw new UsageError(`give either --${aName} or --${bName}, not both`);
  if (a !== undefined) return { which: 'a', value: a };
  if (b !== undefined) return { which: 'b', value: b };
  throw new UsageError(`missing --${aName} (or --${bName})`);
}

/** The two passphrase options every command that reads or writes a key file takes. */
export const PASSPHRASE_OPTIONS = {
  'passphrase-env': { type: 'string' },
  'passphrase-file': { type: 'string' },
} as const satisfies OptionsConfig;

/** Usage lines for {@link PASSPHRASE_OPTIONS}, to paste into a command's usage text. */
export const PASSPHRASE_USAGE = `  --passphrase-env NAME   read the passphrase from the environment variable NAME
  --passphrase-file PATH  read the passphrase from the first line of the file PATH
                          (with neither, ecp prompts on the terminal; it never takes a
                          passphrase from the command line)`;

export function passphraseSource(values: { 'passphrase-env'?: string | undefined; 'passphrase-file'?: string | undefined }): PassphraseSource {
  return { passphraseEnv: values['passphrase-env'], passphraseFile: values['passphrase-file'] };
}

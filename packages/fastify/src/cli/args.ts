/** Argument parsing for `ecp-fastify`: strict flags, bounded integers, usage errors as values. */
import { parseArgs } from 'node:util';

/** Bad usage (flags): printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Unusable input from outside the command line (DATABASE_URL unset, database unreachable): exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export function parseFlags(args: string[], spec: FlagSpec): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args, options: spec, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes and a readable message.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole number written in decimal, within [min, max]; `undefined` stays undefined. */
export function parseInteger(flag: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw new UsageError(`${flag} takes a whole number, got ${JSON.stringify(value)}`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${number}`);
  return number;
}

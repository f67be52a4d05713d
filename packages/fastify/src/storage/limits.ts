/** Size bounds of what the stores accept, checked before anything reaches the database. */
import { InputTooLargeError, MalformedInputError } from '@ecp/core';

/** User ids and session ids: opaque strings, bounded so an index entry stays small. */
export const MAX_KEY_LENGTH = 255;

export function checkKey(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw new MalformedInputError(`${what} must be a non-empty string`);
  if (value.length > MAX_KEY_LENGTH) throw new InputTooLargeError(what, MAX_KEY_LENGTH);
}

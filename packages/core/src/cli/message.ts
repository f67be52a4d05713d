/**
 * The message a signature is over: `--message TEXT` (its UTF-8 bytes, exactly: contract §1
 * adds and strips nothing) or `--message-file FILE` (its bytes, exactly).
 */
import { utf8 } from '../bytes.js';
import { exactlyOne } from './args.js';
import { readInputFile } from './files.js';

export const MESSAGE_OPTIONS = {
  message: { type: 'string' },
  'message-file': { type: 'string' },
} as const;

export const MESSAGE_USAGE = `  --message TEXT          the message: the UTF-8 bytes of TEXT, nothing added or stripped
  --message-file FILE     or the message as the exact bytes of FILE`;

export async function readMessage(values: { message?: string | undefined; 'message-file'?: string | undefined }): Promise<Uint8Array> {
  const chosen = exactlyOne(values.message, 'message', values['message-file'], 'message-file');
  return chosen.which === 'a' ? utf8(chosen.value) : readInputFile(chosen.value, 'message file');
}

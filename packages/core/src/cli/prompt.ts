/**
 * A passphrase prompt on a terminal, without echo. The terminal is passed in (in production
 * `process.stdin` and `process.stderr`, so that stdout stays clean for piping) and read in
 * raw mode, so that the line discipline never echoes what is typed.
 */
import { StringDecoder } from 'node:string_decoder';
import { EcpError } from '../errors.js';
import { MAX_PASSPHRASE_LENGTH } from '../keys/passphrase.js';
import type { OutputStream } from './io.js';

/** The part of a TTY `ReadStream` the prompt uses. */
export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'end' | 'close', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface Terminal {
  readonly input: TerminalInput;
  readonly output: OutputStream;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = new Set(['\u007f', '\b']);
const ESCAPE = '\u001b';

/** Reads one line without echo. Ctrl-C (or Ctrl-D on an empty line) cancels. */
export function promptHidden(terminal: Terminal, question: string): Promise<string> {
  const { input, output } = terminal;
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];

    const finish = (error?: EcpError): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('close', onEnd);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      const value = typed.join('');
      typed = [];
      if (error) reject(error);
      else resolve(value);
    };
    const onEnd = (): void => finish(new EcpError('the terminal closed before a passphrase was entered'));
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      // Code points, not UTF-16 units, so that backspace removes a whole character.
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish();
        if (char === CTRL_C) return finish(new EcpError('passphrase entry cancelled'));
        if (char === CTRL_D) {
          if (typed.length === 0) return finish(new EcpError('passphrase entry cancelled'));
          continue;
        }
        if (char === CTRL_U) typed = [];
        else if (BACKSPACE.has(char)) typed.pop();
        // An escape sequence (arrow keys, ...) is dropped with the rest of its chunk.
        else if (char === ESCAPE) break;
        else if (char >= ' ') typed.push(char);
        if (typed.length > MAX_PASSPHRASE_LENGTH) {
          return finish(new EcpError(`the passphrase is longer than ${MAX_PASSPHRASE_LENGTH} characters`));
        }
      }
    };

    // Echo off before the question shows: anything typed once it is visible must not be echoed.
    input.setRawMode(true);
    output.write(question);
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('close', onEnd);
    input.resume();
  });
}

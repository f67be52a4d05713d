// The passphrase sources of the CLI, in-process: the no-echo prompt over an injected fake
// terminal, and the resolution order (environment, file, terminal) with its errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { EcpError } from '../src/errors.js';
import { UsageError } from '../src/cli/errors.js';
import { resolvePassphrase } from '../src/cli/passphrase.js';
import { promptHidden, type Terminal } from '../src/cli/prompt.js';
import { scratchDirectory } from './cli-harness.js';

/** A stand-in for a TTY ReadStream: records raw-mode switches; the test types into it. */
class FakeTty extends PassThrough {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

function fakeTerminal(): { terminal: Terminal; tty: FakeTty; shown: () => string } {
  const tty = new FakeTty();
  let output = '';
  return { tty, terminal: { input: tty, output: { write: (text: string) => (output += text) } }, shown: () => output };
}

/** Types each chunk once the prompt has been written (as a person would). */
function type(tty: FakeTty, ...chunks: (string | Buffer)[]): void {
  setImmediate(() => {
    for (const chunk of chunks) tty.write(chunk);
  });
}

describe('promptHidden', () => {
  it('reads a line in raw mode without echoing it, honouring backspace and Ctrl-U', async () => {
    const { terminal, tty, shown } = fakeTerminal();
    type(tty, 'wrong', '\u0015', 'secrex', '\u007f', 't\r', 'after the line');
    await expect(promptHidden(terminal, 'Passphrase: ')).resolves.toBe('secret');
    expect(shown()).toBe('Passphrase: \n');
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const { terminal, tty } = fakeTerminal();
    const bytes = Buffer.from('pässwört\n', 'utf8');
    type(tty, bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3));
    await expect(promptHidden(terminal, '> ')).resolves.toBe('pässwört');
  });

  it('Ctrl-C cancels and leaves raw mode', async () => {
    const { terminal, tty } = fakeTerminal();
    type(tty, 'abc\u0003');
    await expect(promptHidden(terminal, '> ')).rejects.toThrow(/passphrase entry cancelled/);
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('a terminal that closes before Enter is an error, not a hang', async () => {
    const { terminal, tty } = fakeTerminal();
    setImmediate(() => tty.end('abc'));
    await expect(promptHidden(terminal, '> ')).rejects.toThrow(/terminal closed/);
  });
});

describe('resolvePassphrase', () => {
  const scratch = scratchDirectory('passphrase');
  afterAll(() => scratch.remove());

  it('takes the named environment variable, even when empty (for reading)', async () => {
    await expect(resolvePassphrase({ purpose: 'k', passphraseEnv: 'P' }, { env: { P: 's3cret' }, terminal: undefined })).resolves.toBe('s3cret');
    await expect(resolvePassphrase({ purpose: 'k', passphraseEnv: 'P' }, { env: { P: '' }, terminal: undefined })).resolves.toBe('');
  });

  it('takes the first line of a file, without LF or CRLF', async () => {
    const file = join(scratch.dir, 'pass.txt');
    writeFileSync(file, 'line one\r\nline two\n');
    await expect(resolvePassphrase({ purpose: 'k', passphraseFile: file }, { env: {}, terminal: undefined })).resolves.toBe('line one');
    writeFileSync(file, 'no newline at all');
    await expect(resolvePassphrase({ purpose: 'k', passphraseFile: file }, { env: {}, terminal: undefined })).resolves.toBe('no newline at all');
  });

  it('refuses two sources, an unset variable, a missing file, and an empty passphrase for a new key', async () => {
    const none = { env: {}, terminal: undefined };
    await expect(resolvePassphrase({ purpose: 'k', passphraseEnv: 'P', passphraseFile: 'f' }, none)).rejects.toBeInstanceOf(UsageError);
    await expect(resolvePassphrase({ purpose: 'k', passphraseEnv: 'P' }, none)).rejects.toThrow(/environment variable P .* is not set/);
    await expect(resolvePassphrase({ purpose: 'k', passphraseFile: join(scratch.dir, 'none') }, none)).rejects.toThrow(/cannot read passphrase file .*: no such file/);
    await expect(resolvePassphrase({ purpose: 'k', passphraseEnv: 'P', confirm: true }, { env: { P: '' }, terminal: undefined })).rejects.toThrow(/non-empty/);
  });

  it('without a source and without a terminal, names both options', async () => {
    const error = await resolvePassphrase({ purpose: 'the key file a.key' }, { env: {}, terminal: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcpError);
    expect((error as Error).message).toBe(
      'a passphrase is needed for the key file a.key: give it with --passphrase-env NAME or --passphrase-file PATH (or run ecp on a terminal to be prompted)',
    );
  });

  it('prompts on the terminal; a new passphrase is asked twice and must match', async () => {
    const once = fakeTerminal();
    type(once.tty, 'typed\r');
    await expect(resolvePassphrase({ purpose: 'a.key' }, { env: {}, terminal: once.terminal })).resolves.toBe('typed');
    expect(once.shown()).toBe('Passphrase for a.key: \n');

    const twice = fakeTerminal();
    const confirmed = resolvePassphrase({ purpose: 'a.key', confirm: true }, { env: {}, terminal: twice.terminal });
    type(twice.tty, 'new one\r');
    await new Promise((resolve) => setTimeout(resolve, 10));
    type(twice.tty, 'new one\r');
    await expect(confirmed).resolves.toBe('new one');
    expect(twice.shown()).toBe('Passphrase for a.key: \nEnter the same passphrase again: \n');

    const differ = fakeTerminal();
    const mismatched = resolvePassphrase({ purpose: 'a.key', confirm: true }, { env: {}, terminal: differ.terminal });
    type(differ.tty, 'one\r');
    await new Promise((resolve) => setTimeout(resolve, 10));
    type(differ.tty, 'two\r');
    await expect(mismatched).rejects.toThrow(/the two passphrases differ/);
  });
});

// The prompt path end to end, on a real pseudo-terminal made by util-linux `script`
// (Debian bsdutils): keygen asks twice, sign asks once, and nothing typed is echoed.
// Where `script` is missing, cli-passphrase.test.ts still covers the prompt through an
// injected fake terminal.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openssl } from '@ecp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_ARGS, scratchDirectory } from './cli-harness.js';

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
const SECRET = 'tty-secret-8c41';

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

interface Answer {
  /** Text that must have appeared on the terminal before the answer is typed. */
  readonly after: string;
  readonly type: string;
}

/**
 * Runs `ecp args` on a pseudo-terminal and types each answer once its prompt is shown:
 * typing earlier would let the terminal echo it before the prompt turns echo off.
 */
function onTerminal(args: readonly string[], cwd: string, answers: readonly Answer[]): Promise<{ status: number; screen: string }> {
  const command = [process.execPath, ...NODE_ARGS, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb' } });
    let screen = '';
    let next = 0;
    let searchFrom = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const answer = answers[next];
      if (answer && screen.indexOf(answer.after, searchFrom) !== -1) {
        searchFrom = screen.indexOf(answer.after, searchFrom) + answer.after.length;
        next += 1;
        child.stdin.write(answer.type);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status: code ?? -1, screen });
    });
  });
}

describe.runIf(HAS_SCRIPT)('passphrase prompt on a pseudo-terminal', () => {
  const scratch = scratchDirectory('tty');
  afterAll(() => scratch.remove());

  it('keygen asks twice without echo; sign asks once for the encrypted key', async () => {
    const made = await onTerminal(['keygen', '--cn', 'tty', '--out-key', 'tty.key', '--out-cert', 'tty.crt', '--iterations', '50000'], scratch.dir, [
      { after: 'Passphrase for the new key file tty.key: ', type: `${SECRET}\r` },
      { after: 'Enter the same passphrase again: ', type: `${SECRET}\r` },
    ]);
    expect(made.screen).toContain('certificate:  tty.crt');
    expect(made.status).toBe(0);
    expect(made.screen).not.toContain(SECRET);
    expect(openssl(['pkey', '-in', join(scratch.dir, 'tty.key'), '-passin', `pass:${SECRET}`, '-noout']).status).toBe(0);

    const signed = await onTerminal(['sign', '--key', 'tty.key', '--message', 'nonce'], scratch.dir, [
      { after: 'Passphrase for the key file tty.key: ', type: `${SECRET}\r` },
    ]);
    expect(signed.status).toBe(0);
    expect(signed.screen).toMatch(/\n30[0-9a-f]{80,}\r?\n/);
    expect(signed.screen).not.toContain(SECRET);
  });
});

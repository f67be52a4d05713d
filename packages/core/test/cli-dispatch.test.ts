// The dispatcher and the argument parser: help, usage errors, and how each kind of error
// becomes output and an exit code. In-process with captured output (plus two real spawns),
// and with a registry of test commands where a command must misbehave.
import { afterAll, describe, expect, it } from 'vitest';
import { CertificatePathError } from '../src/chain/errors.js';
import { WrongPassphraseError } from '../src/errors.js';
import { parseCommandArgs, PASSPHRASE_OPTIONS } from '../src/cli/args.js';
import type { CliCommand, CliIo } from '../src/cli/io.js';
import { commandNames } from '../src/cli/registry.js';
import { runCli } from '../src/cli/run.js';
import { runEcp, scratchDirectory } from './cli-harness.js';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      env: {},
      readPassphrase: () => Promise.reject(new Error('no passphrase in these tests')),
    },
    out: () => out,
    err: () => err,
  };
}

const testCommand = (name: string, run: CliCommand['run']): CliCommand => ({ name, summary: `the ${name} test command`, usage: `Usage: ecp ${name} [--flag]\n`, run });

const registryOf = (...commands: CliCommand[]) => ({
  names: () => commands.map((c) => c.name),
  load: (name: string) => Promise.resolve(commands.find((c) => c.name === name)),
});

describe('the real commands', () => {
  it('cli/commands/ holds keygen, sign, verify and inspect, listed in that order first', () => {
    expect(commandNames().slice(0, 4)).toEqual(['keygen', 'sign', 'verify', 'inspect']);
  });

  it('ecp --help lists every command with its summary; each command --help prints its usage (exit 0)', async () => {
    const top = capture();
    expect(await runCli(['--help'], top.io)).toBe(0);
    for (const name of commandNames()) expect(top.out()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    for (const name of commandNames()) {
      for (const args of [[name, '--help'], [name, '-h'], ['help', name]]) {
        const help = capture();
        expect(await runCli(args, help.io)).toBe(0);
        expect(help.out()).toMatch(new RegExp(`^Usage: ecp ${name}`));
        expect(help.err()).toBe('');
      }
    }
  });

  it('--help after other options still prints the usage, even with an unknown option before it', async () => {
    const help = capture();
    expect(await runCli(['sign', '--bogus', '--help'], help.io)).toBe(0);
    expect(help.out()).toMatch(/^Usage: ecp sign/);
  });
});

describe('errors become exit codes', () => {
  it('an unknown command, an option before the command, no command: exit 2 on stderr', async () => {
    for (const [args, message] of [
      [['frobnicate'], "ecp: unknown command 'frobnicate'"],
      [['--frobnicate'], "ecp: unknown option '--frobnicate'"],
      [[], 'ecp: missing command'],
    ] as const) {
      const run = capture();
      expect(await runCli(args, run.io)).toBe(2);
      expect(run.err().startsWith(message)).toBe(true);
      expect(run.out()).toBe('');
    }
  });

  it('a command module that cannot be loaded is named in the list, the others still shown', async () => {
    const good = testCommand('good', () => Promise.resolve(0));
    const registry = {
      names: () => ['good', 'broken'],
      load: (name: string) => (name === 'good' ? Promise.resolve(good) : Promise.reject(new SyntaxError('Unexpected token'))),
    };
    const run = capture();
    expect(await runCli(['--help'], run.io, { registry })).toBe(0);
    expect(run.out()).toMatch(/^ {2}good {10}the good test command$/m);
    expect(run.out()).toMatch(/^ {2}broken {8}\(cannot be loaded: Unexpected token\)$/m);
  });

  it('a bug (not an EcpError): "internal error" without a stack, the stack only with debug', async () => {
    const registry = registryOf(testCommand('boom', () => Promise.reject(new TypeError('x is not a function'))));
    const quiet = capture();
    expect(await runCli(['boom'], quiet.io, { registry })).toBe(2);
    expect(quiet.err()).toBe('ecp: internal error: x is not a function\n(set ECP_DEBUG=1 to see where it happened)\n');
    const debug = capture();
    expect(await runCli(['boom'], debug.io, { registry, debug: true })).toBe(2);
    expect(debug.err()).toMatch(/^ecp: internal error: x is not a function\nTypeError: x is not a function\n\s+at /);
  });

  it('an EcpError: its message (with advice) on one line, exit 2', async () => {
    const registry = registryOf(testCommand('open', () => Promise.reject(new WrongPassphraseError())));
    const run = capture();
    expect(await runCli(['open'], run.io, { registry })).toBe(2);
    expect(run.err()).toBe(`ecp: ${new WrongPassphraseError().message}\n`);
  });

  it('a CertificatePathError is a verification verdict: invalid: <reason> on stdout, exit 1', async () => {
    const registry = registryOf(testCommand('chain', () => Promise.reject(new CertificatePathError('untrusted', 'CN=alice', 'no path to a trusted CA'))));
    const run = capture();
    expect(await runCli(['chain'], run.io, { registry })).toBe(1);
    expect(run.out()).toBe('invalid: untrusted\n');
    expect(run.err()).toBe('ecp: untrusted (CN=alice): no path to a trusted CA\n');
  });

  it('a file error a command did not handle itself is bad input (exit 2), not a bug', async () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'ca.pem'"), { code: 'ENOENT', path: 'ca.pem' });
    const registry = registryOf(testCommand('files', () => Promise.reject(error)));
    const run = capture();
    expect(await runCli(['files'], run.io, { registry })).toBe(2);
    expect(run.err()).toBe('ecp: cannot use ca.pem: no such file\n');
  });

  it('a usage error prints the message, then the command usage', async () => {
    const registry = registryOf(testCommand('strict', async (args) => (parseCommandArgs(args, { options: { flag: { type: 'boolean' } } }), 0)));
    const run = capture();
    expect(await runCli(['strict', '--flag=yes'], run.io, { registry })).toBe(2);
    expect(run.err()).toBe('ecp: option --flag does not take a value\n\nUsage: ecp strict [--flag]\n');
  });
});

describe('parseCommandArgs', () => {
  const options = { key: { type: 'string' }, json: { type: 'boolean' }, ca: { type: 'string', multiple: true }, ...PASSPHRASE_OPTIONS } as const;
  const parse = (args: string[], positionals = { min: 0, max: 1, names: 'FILE' }) => parseCommandArgs(args, { options, positionals });

  it('parses values, repeatable options and positionals; -- ends the options', () => {
    const { values, positionals } = parse(['f.pem', '--key', 'k', '--ca', 'a', '--ca=b', '--json']);
    expect(values).toEqual({ key: 'k', ca: ['a', 'b'], json: true });
    expect(positionals).toEqual(['f.pem']);
    expect(parse(['--', '--help']).positionals).toEqual(['--help']);
  });

  it('refuses a repeated single option, a missing value, an extra or a missing positional', () => {
    expect(() => parse(['--key', 'a', '--key', 'b'])).toThrow('option --key is given more than once');
    expect(() => parse(['--key'])).toThrow('option --key needs a value');
    expect(() => parse(['--key', '--json'])).toThrow(/option --key needs a value \(write --key=-VALUE/);
    expect(() => parse(['a', 'b'])).toThrow("too many arguments: 'b' after FILE");
    expect(() => parse([], { min: 1, max: 1, names: 'FILE' })).toThrow('missing FILE');
    expect(() => parse(['x'], { min: 0, max: 0, names: '' })).toThrow("unexpected argument 'x'");
  });
});

describe('as spawned by a user', () => {
  const scratch = scratchDirectory('dispatch');
  afterAll(() => scratch.remove());

  it('ecp --help exits 0 on stdout; an unknown command exits 2 with the command list on stderr', async () => {
    const [help, unknown] = await Promise.all([runEcp(['--help'], { cwd: scratch.dir }), runEcp(['keygne'], { cwd: scratch.dir })]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecp <command> \[options\]/);
    expect(help.stdout).toMatch(/^ {2}inspect +show what/m);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^ecp: unknown command 'keygne'\n\nUsage: ecp <command>/);
    expect(unknown.stderr).toMatch(/^ {2}keygen +make a P-256 key pair/m);
  });
});

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trackExit } from './child-exit.js';
import { tail, TestkitError } from './errors.js';
import { makeScratchDir } from './scratch-dir.js';
import { isPortOpen } from './net.js';
import { guardAgainstOrphans } from './orphan-guard.js';
import { runToolAsync } from './run-tool.js';
import { settlesWithin, sleep } from './time.js';

export const NGINX_PATH = '/usr/sbin/nginx';

/** Where the private instance keeps its files; all inside `prefix`, a fresh temp dir. */
export interface NginxPaths {
  prefix: string;
  confFile: string;
  errorLog: string;
  accessLog: string;
  pidFile: string;
}

export interface StartNginxOptions {
  /**
   * Returns what goes INSIDE nginx's `http { }` block: your `server { }` blocks. The
   * testkit writes everything around it (pid, logs, temp paths, events). Every `listen`
   * must be `127.0.0.1:<port>` (optionally followed by `ssl` etc.); start-up waits until
   * all of those ports accept TCP. Files you need (certificates) can go under `paths.prefix`.
   */
  config: (paths: NginxPaths) => string;
  /** Start-up bound (default 10 s). */
  timeoutMs?: number;
}

export interface NginxInstance {
  paths: NginxPaths;
  prefix: string;
  /** The 127.0.0.1 ports the config listens on. */
  ports: number[];
  /** The error log so far (start-up problems, TLS handshake failures, upstream errors). */
  errorLog(): string;
  /** Fast shutdown (SIGTERM), waits for the process to end, removes the prefix. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx as a private, foreground instance: its own prefix, pid file, logs
 * and temp dirs, so it never touches /etc/nginx, /var/log/nginx or a system nginx.
 * The config is checked with `nginx -t` first, so a typo fails with nginx's own message.
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxInstance> {
  if (!existsSync(NGINX_PATH)) {
    throw new TestkitError(`nginx not found at ${NGINX_PATH} (apt-get install nginx)`, 'TESTKIT_MISSING_PROGRAM');
  }
  const prefix = makeScratchDir('ecp-nginx-');
  const paths: NginxPaths = {
    prefix,
    confFile: join(prefix, 'nginx.conf'),
    errorLog: join(prefix, 'logs', 'error.log'),
    accessLog: join(prefix, 'logs', 'access.log'),
    pidFile: join(prefix, 'nginx.pid'),
  };
  const readErrorLog = (): string => (existsSync(paths.errorLog) ? readFileSync(paths.errorLog, 'utf8') : '');
  try {
    mkdirSync(join(prefix, 'logs'));
    mkdirSync(join(prefix, 'tmp'));
    const httpBlock = options.config(paths);
    const ports = listenPorts(httpBlock);
    writeFileSync(paths.confFile, mainConfig(paths, httpBlock));
    const args = ['-p', prefix, '-c', paths.confFile, '-e', paths.errorLog];

    const check = await runToolAsync(NGINX_PATH, ['-t', '-q', ...args]);
    if (check.status !== 0) {
      throw new TestkitError(`nginx rejected the config:\n${check.stderr.trim() || tail(readErrorLog())}`, 'TESTKIT_BAD_CONFIG');
    }

    // stderr goes to a file, not a pipe: an open pipe would keep this process alive
    // after a forgotten stop(), which the orphan guard already handles.
    const stderrFile = join(prefix, 'logs', 'stderr.log');
    const stderrFd = openSync(stderrFile, 'a');
    const child = spawn(NGINX_PATH, args, { cwd: prefix, stdio: ['ignore', 'ignore', stderrFd], detached: true });
    closeSync(stderrFd);
    child.unref();
    const stderr = (): string => (existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : '');
    const exit = trackExit(child);
    const release = child.pid === undefined ? () => {} : guardAgainstOrphans({ pid: child.pid, signal: 'SIGTERM', dir: prefix });

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        if (!exit.ended) {
          child.kill('SIGTERM');
          if (!(await settlesWithin(exit.promise, 5_000))) {
            child.kill('SIGKILL');
            await exit.promise;
          }
        }
        release();
        rmSync(prefix, { recursive: true, force: true });
      })();
      return stopping;
    };

    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exit.ended) {
        const message = `nginx ended during start-up (${exit.reason}):\n${tail(stderr())}\n${tail(readErrorLog())}`;
        await stop();
        throw new TestkitError(message, 'TESTKIT_START_FAILED');
      }
      // nginx writes its pid file only after binding every listen socket; checking it
      // keeps a port held by another process from passing for a started nginx.
      if (pidFileNames(paths.pidFile, child.pid)) {
        const open = await Promise.all(ports.map((port) => isPortOpen(port)));
        if (open.every(Boolean)) break;
      }
      if (Date.now() >= deadline) {
        const message = `nginx did not listen on 127.0.0.1:${ports.join(', ')} within ${timeoutMs} ms:\n${tail(readErrorLog())}`;
        await stop();
        throw new TestkitError(message, 'TESTKIT_TIMEOUT');
      }
      await sleep(20);
    }

    return { paths, prefix, ports, errorLog: readErrorLog, stop };
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
}

function pidFileNames(pidFile: string, pid: number | undefined): boolean {
  try {
    return pid !== undefined && readFileSync(pidFile, 'utf8').trim() === String(pid);
  } catch {
    return false;
  }
}

function mainConfig(paths: NginxPaths, httpBlock: string): string {
  const temp = (name: string): string => join(paths.prefix, 'tmp', name);
  // As root, workers would otherwise drop to "nobody" and could not use our 0700 temp dirs.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `# written by @ecp/testkit: a private nginx for one test
${user}daemon off;
master_process on;
worker_processes 1;
pid ${paths.pidFile};
lock_file ${join(paths.prefix, 'nginx.lock')};
error_log ${paths.errorLog} info;
events {
  worker_connections 1024;
}
http {
  access_log ${paths.accessLog};
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  default_type application/octet-stream;

${httpBlock}
}
`;
}

/** The ports of every `listen` directive, refusing anything but 127.0.0.1:<port>. */
function listenPorts(httpBlock: string): number[] {
  if (/^\s*(http|events)\s*\{/m.test(httpBlock)) {
    throw new TestkitError('startNginx config() returns the inside of http { } (server blocks), not a whole nginx.conf', 'TESTKIT_BAD_CONFIG');
  }
  const ports = new Set<number>();
  for (const match of httpBlock.matchAll(/(?:^|[\s;{])listen\s+([^\s;]+)/g)) {
    const address = /^127\.0\.0\.1:(\d{1,5})$/.exec(match[1] ?? '');
    if (address === null) {
      throw new TestkitError(`nginx may only listen on 127.0.0.1:<port> in tests, got "listen ${match[1]}"`, 'TESTKIT_BAD_CONFIG');
    }
    ports.add(Number(address[1]));
  }
  if (ports.size === 0) {
    throw new TestkitError('the nginx config has no "listen 127.0.0.1:<port>" directive', 'TESTKIT_BAD_CONFIG');
  }
  return [...ports];
}

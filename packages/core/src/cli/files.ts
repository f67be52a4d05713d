/**
 * Reading the files a user names and writing the ones ecp makes. Reads are size-bounded and
 * fail with one line that names the file; writes never replace an existing file unless the
 * user said `--force`, and key material is created readable by its owner only.
 */
import { constants } from 'node:fs';
import { chmod, lstat, open, writeFile } from 'node:fs/promises';
import { EcpError, InputTooLargeError } from '../errors.js';

/** Bound on any file the CLI reads: key files, certificates and bundles are a few kilobytes. */
export const MAX_INPUT_FILE_SIZE = 1 << 20;

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** The one-line description of a failed file operation (`no such file`), or undefined. */
export function describeFileError(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (REASONS[code] ?? code) : undefined;
}

/** The bytes of `path`; `what` names the file in errors (`certificate`, `key file`). */
export async function readInputFile(path: string, what: string, limit = MAX_INPUT_FILE_SIZE): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
    // Read one byte past the limit instead of trusting stat(): FIFOs and /dev files have no size.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) throw new InputTooLargeError(`${what} ${path}`, limit);
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } catch (error) {
    const reason = error instanceof EcpError ? undefined : describeFileError(error);
    if (reason) throw new EcpError(`cannot read ${what} ${path}: ${reason}`, 'ECP_ERROR', { cause: error });
    throw error;
  } finally {
    await handle?.close();
  }
}

export interface OutputFile {
  readonly path: string;
  readonly data: string | Uint8Array;
  /** `0o600` for anything holding a private key. */
  readonly mode: number;
  /** Names the file in messages (`private key`). */
  readonly what: string;
}

/**
 * Refuses outputs that name the same file twice or, without `force`, a file that exists.
 * Called before the work (so that a user does not type a passphrase for nothing) and again
 * by {@link writeOutputFiles}.
 */
export async function checkOutputPaths(files: readonly Pick<OutputFile, 'path' | 'what'>[], force: boolean): Promise<void> {
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.path)) throw new EcpError(`${file.path} is named for two outputs: give each output its own file`);
    paths.add(file.path);
  }
  if (force) return;
  for (const file of files) {
    const exists = await lstat(file.path).then(
      () => true,
      (error: unknown) => {
        if (describeFileError(error) === REASONS.ENOENT) return false;
        throw new EcpError(`cannot write ${file.what} ${file.path}: ${describeFileError(error) ?? 'it cannot be checked'}`, 'ECP_ERROR', { cause: error });
      },
    );
    if (exists) throw new EcpError(`${file.path} already exists: choose another file name, or pass --force to overwrite it`);
  }
}

/**
 * Writes every file after {@link checkOutputPaths}, so that a refusal leaves nothing
 * half-written. Without `force` each file is created exclusively (`wx`: a file that appeared
 * meanwhile is not replaced); with it, an existing file is replaced and its mode reset.
 */
export async function writeOutputFiles(files: readonly OutputFile[], force: boolean): Promise<void> {
  await checkOutputPaths(files, force);
  for (const file of files) {
    try {
      await writeFile(file.path, file.data, { mode: file.mode, flag: force ? 'w' : 'wx' });
      // writeFile's mode only applies to a file it creates; a replaced one keeps its old mode.
      if (force) await chmod(file.path, file.mode);
    } catch (error) {
      const reason = describeFileError(error);
      if (reason) throw new EcpError(`cannot write ${file.what} ${file.path}: ${reason}`, 'ECP_ERROR', { cause: error });
      throw error;
    }
  }
}

/** The example's settings, from the environment (contract §4), checked before anything starts. */
import { createHash, randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrustedProxies } from '@ecp/fastify';

export interface AppConfig {
  host: string;
  port: number;
  /** PostgreSQL URL; undefined means embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  /** True when SESSION_SECRET is under 32 characters (it was stretched; main.ts warns). */
  sessionSecretShort: boolean;
  /** True when SESSION_SECRET was unset and a random one was made (sessions end with the process). */
  sessionSecretGenerated: boolean;
  trustedProxies: string[];
}

/** `<repo>/.data`: this file is `<repo>/examples/app/src/config.ts`. */
export const DEFAULT_DATA_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../.data');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65_535) throw new ConfigError(`PORT must be a number from 0 to 65535, got "${portText}"`);

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const dataDirText = value('DATA_DIR');
  const dataDir = dataDirText === undefined ? DEFAULT_DATA_DIR : isAbsolute(dataDirText) ? dataDirText : resolve(process.cwd(), dataDirText);

  const secret = value('SESSION_SECRET');
  // @fastify/session needs ≥ 32 characters. A shorter secret still starts the app (so a
  // quick `SESSION_SECRET=dev pnpm start` works), stretched by SHA-256 and warned about.
  const sessionSecretShort = secret !== undefined && secret.length < 32;

  const trustedProxies = (value('ECP_TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  try {
    parseTrustedProxies(trustedProxies);
  } catch (error) {
    throw new ConfigError(`ECP_TRUSTED_PROXIES: ${(error as Error).message}`);
  }

  return {
    host: value('HOST') ?? '127.0.0.1',
    port,
    databaseUrl,
    dataDir,
    sessionSecret:
      secret === undefined ? randomBytes(32).toString('base64url') : sessionSecretShort ? createHash('sha256').update(secret).digest('hex') : secret,
    sessionSecretGenerated: secret === undefined,
    sessionSecretShort,
    trustedProxies,
  };
}

/** The example's environment settings (contract §4). */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA_DIR, readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('defaults to 127.0.0.1:3000, PGlite under <repo>/.data, a random secret, no trusted proxies', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, sessionSecretGenerated: true, trustedProxies: [] });
    expect(config.dataDir).toBe(DEFAULT_DATA_DIR);
    expect(DEFAULT_DATA_DIR).toBe(resolve(import.meta.dirname, '../../../.data'));
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readConfig({}).sessionSecret).not.toBe(config.sessionSecret);
  });

  it('reads every variable', () => {
    const config = readConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgresql://u@db/ecp',
      DATA_DIR: '/var/lib/ecp',
      SESSION_SECRET: 's'.repeat(40),
      ECP_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,,::1',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgresql://u@db/ecp',
      dataDir: '/var/lib/ecp',
      sessionSecret: 's'.repeat(40),
      sessionSecretGenerated: false,
      trustedProxies: ['10.0.0.1', '192.168.0.0/16', '::1'],
    });
  });

  it('stretches a SESSION_SECRET shorter than @fastify/session accepts, and says so', () => {
    const config = readConfig({ SESSION_SECRET: 'dev' });
    expect(config.sessionSecretShort).toBe(true);
    expect(config.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(readConfig({ SESSION_SECRET: 'dev' }).sessionSecret).toBe(config.sessionSecret); // stable across restarts
    expect(readConfig({ SESSION_SECRET: 's'.repeat(32) }).sessionSecretShort).toBe(false);
  });

  it('resolves a relative DATA_DIR against the working directory and treats empty values as unset', () => {
    expect(readConfig({ DATA_DIR: 'data' }).dataDir).toBe(resolve(process.cwd(), 'data'));
    expect(readConfig({ PORT: '', DATABASE_URL: ' ' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it.each([
    [{ PORT: 'http' }, /PORT must be a number/],
    [{ PORT: '70000' }, /PORT must be a number/],
    [{ PORT: '-1' }, /PORT must be a number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ ECP_TRUSTED_PROXIES: '10.0.0.1,proxy.local' }, /ECP_TRUSTED_PROXIES: .*"proxy.local" is not an IP/],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

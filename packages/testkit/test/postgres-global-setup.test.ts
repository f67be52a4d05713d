import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPortOpen } from '../src/net.js';
import setup from '../src/postgres-global-setup.js';

describe('postgres globalSetup', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('shares one cluster between projects and stops it after the last teardown', async () => {
    vi.stubEnv('DATABASE_URL', ''); // force the throwaway cluster even where CI sets one
    const provided: Array<[string, unknown]> = [];
    const provide = (key: string, value: unknown): void => {
      provided.push([key, value]);
    };

    const [teardownFastify, teardownExample] = await Promise.all([setup({ provide }), setup({ provide })]);
    expect(provided).toHaveLength(2);
    expect(provided[0]?.[0]).toBe('databaseUrl');
    expect(provided[1]).toEqual(provided[0]);
    const url = new URL(String(provided[0]?.[1]));
    const port = Number(url.port);

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();

    await teardownFastify();
    expect(await isPortOpen(port)).toBe(true); // the other project still uses it
    await teardownExample();
    expect(await isPortOpen(port)).toBe(false);
  });
});

/** The plugin suite on embedded PGlite (the example app's default database). */
import { describe, expect, it } from 'vitest';
import { pgliteDb } from './helpers/databases.js';
import { InjectClient } from './helpers/client.js';
import { buildTestServer } from './helpers/server.js';
import { describePluginSuite } from './plugin-suite.js';

describePluginSuite('PGlite', pgliteDb);

describe('PGlite going away', () => {
  it('answers 503 ECP_DB_UNAVAILABLE once the database is closed', async () => {
    const database = await pgliteDb();
    const { app } = await buildTestServer({ db: database.db });
    try {
      const client = new InjectClient(app);
      expect((await client.get('/ecp/challenge')).statusCode).toBe(200);
      await database.close();
      const challenge = await client.get('/ecp/challenge');
      expect(challenge.statusCode).toBe(503);
      expect(challenge.json()).toEqual({ error: 'the database is unavailable, try again later', code: 'ECP_DB_UNAVAILABLE' });
      const login = await client.post('/login', { username: 'a', password: 'b', nonce_id: 'AAAAAAAAAAAAAAAAAAAAAA', signature: '00' });
      expect(login.statusCode).toBe(503);
      expect(login.json().code).toBe('ECP_DB_UNAVAILABLE');
    } finally {
      await app.close();
    }
  });
});

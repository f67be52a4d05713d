/**
 * Session fixation through registration: the key files of a server-side enrolment (and the
 * right to replace the user's certificate) go into the session, so a session the client
 * brought must be replaced first, as a login replaces it. Otherwise whoever planted the
 * cookie reads the new user's key files with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectClient, uniqueName } from './helpers/client.js';
import { pgliteDb, type TestDb } from './helpers/databases.js';
import { buildTestServer, type TestServer } from './helpers/server.js';

describe('server-side enrolment and the session it writes to', () => {
  let database: TestDb;
  let server: TestServer;

  beforeAll(async () => {
    database = await pgliteDb();
    server = await buildTestServer({ db: database.db });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  it('puts the key files into a new session, not into one the client brought', async () => {
    // The attacker registers to get a live session, and plants its cookie on the victim.
    const attacker = new InjectClient(server.app);
    expect((await attacker.post('/register', { username: uniqueName('mallory'), password: 'pw', key_password: 'kp' })).statusCode).toBe(201);
    const planted = attacker.cookie;
    expect(planted).toBeDefined();

    const victim = new InjectClient(server.app);
    victim.cookie = planted;
    const victimName = uniqueName('victim');
    expect((await victim.post('/register', { username: victimName, password: 'pw', key_password: 'kp' })).statusCode).toBe(201);
    expect(victim.cookie).not.toBe(planted);

    // The planted id is worth nothing: no key files, no certificate upload.
    const stolen = await attacker.get('/ecp/keys');
    expect(stolen.statusCode).toBe(401);
    expect(stolen.body).not.toContain('PRIVATE KEY');
    // The victim still gets their own files on their new session.
    expect((await victim.get('/ecp/keys')).statusCode).toBe(200);
  });

  it('keeps a session made by the registering request (nothing to fixate)', async () => {
    const client = new InjectClient(server.app);
    expect((await client.post('/register', { username: uniqueName('fresh'), password: 'pw', key_password: 'kp' })).statusCode).toBe(201);
    const keys = await client.get('/ecp/keys');
    expect(keys.statusCode).toBe(200);
    expect(keys.json<{ private_key: string }>().private_key).toContain('ENCRYPTED PRIVATE KEY');
  });
});

/**
 * `pnpm start`: the example application. Settings come from the environment (see
 * config.ts and the README): HOST, PORT, DATABASE_URL or DATA_DIR, SESSION_SECRET,
 * ECP_TRUSTED_PROXIES. Stops cleanly on SIGTERM and SIGINT.
 */
import { buildApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { openDatabase } from './database.js';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`ecp example: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (config.sessionSecretGenerated) {
    console.warn('ecp example: SESSION_SECRET is not set; using a random secret, so sessions end when the process does');
  }

  const { db, description } = await openDatabase(config);
  const app = await buildApp({
    db,
    sessionSecret: config.sessionSecret,
    trustedProxies: config.trustedProxies,
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`ecp example: ${signal} received, shutting down`);
    try {
      await app.close();
      await db.destroy();
      process.exit(0);
    } catch (error) {
      console.error('ecp example: error while shutting down', error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    console.error(`ecp example: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await db.destroy();
    process.exit(1);
  }
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`ecp example: database ${description}`);
  console.log(`ecp example: listening on http://${host}:${port}`);
}

main().catch((error: unknown) => {
  console.error('ecp example: failed to start:', error);
  process.exit(1);
});

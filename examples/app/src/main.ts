/**
 * `pnpm start`: the example application. Settings come from the environment (see
 * config.ts and the README): HOST, PORT, DATABASE_URL or DATA_DIR, SESSION_SECRET,
 * ECP_TRUSTED_PROXIES; for client certificates ECP_CLIENT_CA, ECP_CLIENT_CRL,
 * ECP_CLIENT_DENYLIST (mtls.ts) and CA mode's ECP_CA_CERT, ECP_CA_KEY (ca-mode.ts).
 * Stops cleanly on SIGTERM and SIGINT.
 */
import type { EcpIssuerOptions } from '@ecp/fastify';
import { buildApp } from './app.js';
import { loadIssuer, readCaModeConfig } from './ca-mode.js';
import { ConfigError, readConfig } from './config.js';
import { openDatabase } from './database.js';
import { readMtlsConfig } from './mtls.js';

const configError = (error: unknown): never => {
  if (error instanceof ConfigError) {
    console.error(`ecp example: ${error.message}`);
    process.exit(2);
  }
  throw error;
};

async function main(): Promise<void> {
  let config;
  let caMode;
  let mtls;
  let issuer: EcpIssuerOptions | undefined;
  try {
    config = readConfig();
    caMode = readCaModeConfig();
    mtls = readMtlsConfig();
    issuer = caMode === undefined ? undefined : await loadIssuer(caMode);
  } catch (error) {
    return configError(error);
  }
  if (config.sessionSecretShort) {
    console.warn('ecp example: SESSION_SECRET is shorter than 32 characters; it is stretched with SHA-256, but use a long random secret in production');
  }
  if (config.sessionSecretGenerated) {
    console.warn('ecp example: SESSION_SECRET is not set; using a random secret, so sessions end when the process does');
  }

  const { db, description } = await openDatabase(config);
  const app = await buildApp({
    db,
    sessionSecret: config.sessionSecret,
    trustedProxies: config.trustedProxies,
    ...(issuer === undefined ? {} : { issuer }),
    mtls,
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  }).catch(async (error: unknown) => {
    // A bad CA, CRL or denylist file is a configuration error like any other (exit 2).
    await db.destroy();
    return configError(error);
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
  if (issuer !== undefined) console.log('ecp example: CA mode: users\' certificates are issued by ECP_CA_CERT');
  if (!app.hasRoute({ method: 'GET', url: '/mtls/whoami' })) console.log('ecp example: GET /mtls/whoami is off (set ECP_CLIENT_CA, or ECP_CA_CERT/ECP_CA_KEY)');
  console.log(`ecp example: listening on http://${host}:${port}`);
}

main().catch((error: unknown) => {
  console.error('ecp example: failed to start:', error);
  process.exit(1);
});

export { TestkitError, type TestkitErrorCode } from './errors.js';
export { freePort, isPortOpen, waitForPort } from './net.js';
export {
  createTestDatabase,
  findPostgresBinDir,
  startPostgresCluster,
  type PostgresCluster,
  type StartPostgresOptions,
  type TestDatabase,
} from './postgres.js';
export { NGINX_PATH, startNginx, type NginxInstance, type NginxPaths, type StartNginxOptions } from './nginx.js';
export { CHROMIUM_FLAGS, CHROMIUM_PATH, launchChromium } from './chromium.js';
export { openssl, opensslAsync, opensslOk } from './openssl.js';
export { curl, curlOk } from './curl.js';
export type { ToolOptions, ToolResult } from './run-tool.js';

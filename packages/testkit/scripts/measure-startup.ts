// Prints how long each real service takes to come up on this machine (best of N runs), so
// regressions in test start-up are visible. Run from the repository root:
//   node --conditions=source --import tsx packages/testkit/scripts/measure-startup.ts [runs]
import { launchChromium } from '../src/chromium.js';
import { freePort } from '../src/net.js';
import { startNginx } from '../src/nginx.js';
import { startPostgresCluster } from '../src/postgres.js';

const runs = Math.min(Math.max(Number(process.argv[2] ?? 3), 1), 10);

async function measure(name: string, start: () => Promise<() => Promise<unknown>>): Promise<void> {
  const startTimes: number[] = [];
  const stopTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const stop = await start();
    const t1 = performance.now();
    await stop();
    stopTimes.push(performance.now() - t1);
    startTimes.push(t1 - t0);
  }
  const fmt = (values: number[]): string => `best ${Math.min(...values).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms`;
  console.log(`${name.padEnd(22)} start: ${fmt(startTimes)}; stop: ${fmt(stopTimes)}`);
}

await measure('postgres cluster', async () => {
  const cluster = await startPostgresCluster({ useDatabaseUrl: false });
  return () => cluster.stop();
});
await measure('nginx', async () => {
  const port = await freePort();
  const nginx = await startNginx({ config: () => `server { listen 127.0.0.1:${port}; return 200 "ok"; }` });
  return () => nginx.stop();
});
await measure('chromium (to new page)', async () => {
  const browser = await launchChromium();
  await browser.newPage();
  return () => browser.close();
});

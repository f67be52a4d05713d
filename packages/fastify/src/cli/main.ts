/** Entry point of the `ecp-fastify` binary (and of `pnpm ecp-fastify` from a checkout). */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

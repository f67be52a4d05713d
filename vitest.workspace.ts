// One vitest run covers every package. Each project resolves @ecp/* packages to their
// TypeScript sources through the "source" export condition, so tests never need a build.
import { defineWorkspace } from 'vitest/config';

const sourceConditions = { conditions: ['source'] };

const project = (name: string, root: string, extra: Record<string, unknown> = {}) => ({
  resolve: sourceConditions,
  ssr: { resolve: sourceConditions },
  test: {
    name,
    root,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...extra,
  },
});

export default defineWorkspace([
  project('core', './packages/core'),
  project('fastify', './packages/fastify', { globalSetup: ['../testkit/src/postgres-global-setup.ts'] }),
  project('browser', './packages/browser'),
  project('testkit', './packages/testkit'),
  project('example', './examples/app', { globalSetup: ['../../packages/testkit/src/postgres-global-setup.ts'] }),
]);

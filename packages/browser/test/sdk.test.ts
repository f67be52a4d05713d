/** The SDK API's cases (sdk-cases.ts) in Node's WebCrypto; chromium.test.ts runs the same in Chromium. */
import { afterAll, beforeAll } from 'vitest';
import { startFakeEcpServer, type FakeEcpServer } from './helpers/fake-ecp-server.js';
import { sdkCases, type SdkCaseName, type SdkCases } from './sdk-cases.js';
import { defineSdkSuite, vectorUsers, type SdkRunner } from './sdk-suite.js';

let server: FakeEcpServer;
beforeAll(async () => {
  server = await startFakeEcpServer(vectorUsers());
});
afterAll(() => server?.close());

const run: SdkRunner = <N extends SdkCaseName>(name: N, input: Parameters<SdkCases[N]>[0]) =>
  (sdkCases[name] as (input: Parameters<SdkCases[N]>[0]) => ReturnType<SdkCases[N]>)(input);

defineSdkSuite({ run, server: () => server });

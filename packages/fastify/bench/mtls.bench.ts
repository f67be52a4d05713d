/**
 * Client-certificate preHandler (issue 5, point 7), two ratios, each taken in one run:
 *
 * 1. Warm cache over loopback HTTP: a route guarded by the preHandler against the same route
 *    unguarded, both requests carrying the certificate in X-Client-Cert from a trusted-proxy
 *    address (127.0.0.2), the way nginx sends it. Target >= 0.9x.
 * 2. Cold validation: the preHandler with its cache off, on distinct RSA-2048 leaves under an
 *    RSA-4096 root, from the escaped-PEM header to request.clientCertificate, against raw
 *    node:crypto on the same header (percent-decode, X509Certificate, checkIssued, verify
 *    with the root's prepared key). Target >= 0.8x. (packages/core/bench/chain-validation
 *    measures ChainVerifier alone; this is the whole per-request work of the preHandler.)
 */
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { certificateToPem, createSelfSignedCertificate, generateKeyPair, issueCertificate } from '@ecp/core';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { BenchSuite } from '../../../scripts/bench/harness.js';
import { compare, compareHttp } from '../../../scripts/bench/harness.js';
import { createClientCertificatePreHandler } from '../src/client-cert/index.js';

const PROXY = '127.0.0.2';
const LEAVES = 400;
const LEAF_KEYS = 16;

const escapedPem = (der: Uint8Array): string => encodeURIComponent(certificateToPem(der));

async function warmCache(): Promise<Parameters<BenchSuite['run']>[0]['comparisons'][number]> {
  const { privateKey: rootKey } = generateKeyPair();
  const root = createSelfSignedCertificate({ privateKey: rootKey, subject: { CN: 'Bench mTLS root' }, profile: 'ca', days: 3650 });
  const { publicKey: leafKey } = generateKeyPair();
  const leaf = issueCertificate({ subjectPublicKey: leafKey, subject: { CN: 'bench-user' }, issuerCertificate: root, issuerKey: rootKey, profile: 'client', days: 365 });

  const guard = createClientCertificatePreHandler({ trustAnchors: [root], trustedProxies: [PROXY], mapUser: 'cn' });
  const app = Fastify({ logger: false });
  app.get('/guarded', { preHandler: guard }, async (request) => ({ user: request.clientCertificateUser }));
  app.get('/open', async () => ({ user: 'bench-user' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const headers = { 'x-client-cert': escapedPem(leaf.der) };
    // A wrong set-up (header not believed, certificate refused) must fail loudly, not measure 400s.
    const probe = await app.inject({ method: 'GET', url: '/guarded', remoteAddress: PROXY, headers });
    if (probe.statusCode !== 200) throw new Error(`mtls bench: the guarded route answered ${probe.statusCode}: ${probe.body}`);
    return await compareHttp(
      'mTLS preHandler, warm cache (loopback HTTP)',
      { label: 'guarded route', url: `${base}/guarded`, headers, localAddress: PROXY },
      { label: 'unguarded route', url: `${base}/open`, headers, localAddress: PROXY },
      { target: 0.9, note: 'certificate in X-Client-Cert (escaped PEM) from a trusted-proxy address, 16 keep-alive connections' },
    );
  } finally {
    await app.close();
  }
}

async function coldValidation(): Promise<Parameters<BenchSuite['run']>[0]['comparisons'][number]> {
  const rootKey = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
  const root = createSelfSignedCertificate({ privateKey: rootKey, subject: { CN: 'Bench mTLS root RSA-4096' }, profile: 'ca', days: 3650 });
  const keys = Array.from({ length: LEAF_KEYS }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
  const headers = Array.from({ length: LEAVES }, (_, i) =>
    escapedPem(issueCertificate({ subjectPublicKey: keys[i % LEAF_KEYS]!, subject: { CN: `user${i}` }, issuerCertificate: root, issuerKey: rootKey, profile: 'client', days: 365 }).der),
  );

  const guard = createClientCertificatePreHandler({ trustAnchors: [root], trustedProxies: [PROXY], cache: false });
  // The preHandler reads only these parts of a request; a real one would add Fastify's routing cost to both sides.
  const requestFor = (value: string) =>
    ({
      raw: { socket: { remoteAddress: PROXY }, rawHeaders: ['X-Client-Cert', value] },
      headers: { 'x-client-cert': value },
      log: { info: () => {} },
      clientCertificate: null,
      clientCertificateUser: null,
    }) as unknown as FastifyRequest;
  const requests = headers.map(requestFor);
  const refuse = { code: () => refuse, type: () => refuse, send: (body: unknown) => { throw new Error(`mtls bench: refused ${JSON.stringify(body)}`); } } as unknown as FastifyReply;

  const rootX509 = new X509Certificate(root.der);
  const rootPublicKey = rootX509.publicKey;
  let i = 0;
  let j = 0;
  return compare(
    'mTLS preHandler, cold validation (RSA-2048 leaf, RSA-4096 root)',
    {
      label: 'preHandler, cache off',
      op: async () => {
        const request = requests[i++ % LEAVES]!;
        await guard(request, refuse);
        if (request.clientCertificate === null) throw new Error('mtls bench: no certificate set');
      },
    },
    {
      label: 'decode + X509Certificate + checkIssued + verify',
      op: () => {
        const x = new X509Certificate(decodeURIComponent(headers[j++ % LEAVES]!));
        if (!x.checkIssued(rootX509) || !x.verify(rootPublicKey)) throw new Error('baseline failed');
      },
    },
    { target: 0.8, note: `${LEAVES} distinct leaves from the escaped-PEM header; ours also checks validity, usages, extensions, revocation and fills request.clientCertificate` },
  );
}

const suite: BenchSuite = {
  name: 'fastify: mTLS client-certificate preHandler',
  async run(report) {
    report.comparisons.push(await warmCache());
    report.comparisons.push(await coldValidation());
  },
};

export default suite;

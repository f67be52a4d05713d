/**
 * Cold path validation (issue 5, point 7): distinct RSA-2048 client certificates under an
 * RSA-4096 root, each validated once per pass by a ChainVerifier built once, against the raw
 * node:crypto work of the same check (X509Certificate parse + checkIssued + verify with the
 * root's prepared key). Target: ≥ 0.8×.
 */
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import type { BenchSuite } from '../../../scripts/bench/harness.js';
import { compare } from '../../../scripts/bench/harness.js';
import { ChainVerifier } from '../src/chain/index.js';
import { createSelfSignedCertificate, issueCertificate } from '../src/x509/build.js';

const LEAVES = 400;
const LEAF_KEYS = 16;

const suite: BenchSuite = {
  name: 'core: certificate path validation',
  async run(report) {
    const rootKey = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
    const root = createSelfSignedCertificate({ privateKey: rootKey, subject: { O: 'Ecp Bench', CN: 'Bench Root RSA-4096' }, profile: 'ca', days: 3650 });
    const keys = Array.from({ length: LEAF_KEYS }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const leaves = Array.from({ length: LEAVES }, (_, i) =>
      issueCertificate({ subjectPublicKey: keys[i % LEAF_KEYS]!, subject: { CN: `user${i}` }, issuerCertificate: root, issuerKey: rootKey, profile: 'client', days: 365 }).der,
    );

    const verifier = new ChainVerifier({ trustAnchors: [root] });
    const rootX509 = new X509Certificate(root.der);
    const rootPublicKey = rootX509.publicKey;
    const at = new Date();
    let i = 0;
    let j = 0;
    report.comparisons.push(
      await compare(
        'cold validation, RSA-2048 leaf under RSA-4096 root',
        {
          label: 'ChainVerifier.verify',
          op: () => {
            verifier.verify(leaves[i++ % LEAVES]!, { at });
          },
        },
        {
          label: 'X509Certificate + checkIssued + verify',
          op: () => {
            const x = new X509Certificate(leaves[j++ % LEAVES]!);
            if (!x.checkIssued(rootX509) || !x.verify(rootPublicKey)) throw new Error('baseline failed');
          },
        },
        { target: 0.8, note: `${LEAVES} distinct leaves, DER input; ours also checks validity, usages, extensions and the denylist` },
      ),
    );
  },
};

export default suite;

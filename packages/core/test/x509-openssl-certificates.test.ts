/**
 * Certificates made by the openssl CLI (P-256, P-384, RSA-2048, RSA-PSS, Ed25519; v1 and v3;
 * with SAN, EKU, AKI) parsed by ecp and compared field by field with node:crypto's
 * X509Certificate and with `openssl x509` itself.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../src/bytes.js';
import { OID } from '../src/der/oids.js';
import { parseCertificate, type Certificate } from '../src/x509/certificate.js';
import { fingerprint } from '../src/x509/fingerprint.js';
import type { GeneralName } from '../src/x509/general-name.js';
import { namesMatch, type DistinguishedName } from '../src/x509/name.js';
import { verifyCertificateSignature } from '../src/x509/signing.js';
import { makeWorkdir, opensslOk, opensslText, type Workdir } from './x509-helpers.js';

const EXTENSIONS_CONFIG = `
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth, emailProtection
subjectAltName = DNS:leaf.example.com, email:leaf@example.com, IP:192.0.2.1, IP:2001:db8::1, URI:https://example.com/leaf
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always, issuer:always
certificatePolicies = 1.2.3.4
`;

const KEYS = {
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsapss: ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed25519: ['-algorithm', 'ED25519'],
} as const;
type KeyName = keyof typeof KEYS;

const EXPECTED_KEYS: Record<KeyName, { algorithm: string; curve?: string; bits?: number; signature: string }> = {
  p256: { algorithm: 'EC', curve: 'P-256', bits: 256, signature: OID.ecdsaWithSha256 },
  p384: { algorithm: 'EC', curve: 'P-384', bits: 384, signature: OID.ecdsaWithSha256 },
  rsa2048: { algorithm: 'RSA', bits: 2048, signature: OID.sha256WithRsa },
  rsapss: { algorithm: 'RSA-PSS', bits: 2048, signature: OID.rsassaPss },
  ed25519: { algorithm: 'Ed25519', signature: OID.ed25519 },
};

let work: Workdir;
const files: Record<string, string> = {};

beforeAll(() => {
  work = makeWorkdir('x509-openssl');
  const ext = work.write('ext.cnf', EXTENSIONS_CONFIG);
  const caKey = work.path('ca.key');
  opensslOk(['genpkey', ...KEYS.p256, '-out', caKey]);
  files.ca = work.path('ca.pem');
  opensslOk(['req', '-x509', '-new', '-key', caKey, '-subj', '/C=FR/O=Example CA/CN=Example Root', '-days', '3650', '-out', files.ca]);
  for (const [name, args] of Object.entries(KEYS)) {
    const key = work.path(`${name}.key`);
    opensslOk(['genpkey', ...args, '-out', key]);
    files[`self-${name}`] = work.path(`self-${name}.pem`);
    opensslOk(['req', '-x509', '-new', '-key', key, '-subj', `/CN=self ${name}/O=Example`, '-days', '1', '-out', files[`self-${name}`]!]);
    const csr = work.path(`${name}.csr`);
    opensslOk(['req', '-new', '-key', key, '-subj', `/CN=leaf-${name}/O=Example/OU=Unit`, '-out', csr]);
    files[`leaf-${name}`] = work.path(`leaf-${name}.pem`);
    opensslOk(['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', caKey, '-set_serial', '0x00ff' + '01'.repeat(15), '-days', '30', '-extfile', ext, '-extensions', 'leaf', '-out', files[`leaf-${name}`]!]);
  }
  // v1 (no extensions) with a high-bit serial, and an RSA key signing with PSS parameters.
  files.v1 = work.path('v1.pem');
  opensslOk(['x509', '-req', '-in', work.path('p256.csr'), '-signkey', work.path('p256.key'), '-days', '1', '-set_serial', '0x80ff', '-out', files.v1]);
  files['self-rsa-pss-signature'] = work.path('self-rsa-pss-signature.pem');
  opensslOk(['req', '-x509', '-new', '-key', work.path('rsa2048.key'), '-subj', '/CN=pss', '-days', '1', '-sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:48', '-out', files['self-rsa-pss-signature']]);
});

afterAll(() => work?.remove());

/** node's multi-line name format: `C=FR\nO=Example CA\nCN=Example Root`. */
const nodeName = (name: DistinguishedName): string => name.rdns.map((rdn) => rdn.map((a) => `${a.shortName}=${a.value}`).join('+')).join('\n');

/** node's subjectAltName format. */
function nodeAltName(name: GeneralName): string {
  switch (name.type) {
    case 'dNSName':
      return `DNS:${name.value}`;
    case 'rfc822Name':
      return `email:${name.value}`;
    case 'uniformResourceIdentifier':
      return `URI:${name.value}`;
    case 'iPAddress':
      return `IP Address:${name.value.toUpperCase()}`;
    default:
      return name.type;
  }
}

const KEY_USAGE_TEXT: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
};

/** The lines after an extension's heading in `openssl x509 -text`. */
function extensionText(text: string, heading: string): { critical: boolean; body: string } | undefined {
  const m = new RegExp(`${heading}:( critical)?\\s*\\n((?:\\s{16,}.*\\n)+)`).exec(text);
  return m ? { critical: m[1] !== undefined, body: m[2]!.trim() } : undefined;
}

const colonHex = (bytes: Uint8Array) => toHex(bytes).toUpperCase().replace(/(..)(?!$)/g, '$1:');

function compareWithNode(ours: Certificate, node: X509Certificate, issuer: { ours: Certificate; node: X509Certificate }): void {
  expect(nodeName(ours.subject)).toBe(node.subject);
  expect(nodeName(ours.issuer)).toBe(node.issuer);
  expect(ours.serialNumber.toUpperCase()).toBe(node.serialNumber);
  expect(ours.notBefore.getTime()).toBe(Date.parse(node.validFrom));
  expect(ours.notAfter.getTime()).toBe(Date.parse(node.validTo));
  expect(fingerprint(ours, 'sha1')).toBe(node.fingerprint);
  expect(fingerprint(ours, 'sha256')).toBe(node.fingerprint256);
  expect(ours.extKeyUsage).toEqual(node.keyUsage); // node's `keyUsage` is the EKU list
  expect(ours.subjectAltName?.map(nodeAltName).join(', ')).toBe(node.subjectAltName);
  expect(ours.basicConstraints?.cA ?? false).toBe(node.ca);
  expect(Buffer.from(ours.publicKey.spki)).toEqual(node.publicKey.export({ type: 'spki', format: 'der' }));
  const details = node.publicKey.asymmetricKeyDetails ?? {};
  if (ours.publicKey.algorithm === 'RSA' || ours.publicKey.algorithm === 'RSA-PSS') expect(ours.publicKey.bits).toBe(details.modulusLength);
  const issued = node.checkIssued(issuer.node);
  expect(namesMatch(ours.issuer, issuer.ours.subject)).toBe(issued);
  expect(verifyCertificateSignature(ours, issuer.ours)).toBe(node.verify(issuer.node.publicKey));
}

function compareWithOpensslText(ours: Certificate, file: string): void {
  const text = opensslText(['x509', '-in', file, '-noout', '-text']);
  const facts = opensslText(['x509', '-in', file, '-noout', '-serial', '-nameopt', 'RFC2253', '-subject', '-issuer', '-fingerprint', '-sha256']);
  expect(facts).toContain(`serial=${ours.serialNumber.toUpperCase()}\n`);
  expect(facts).toContain(`subject=${ours.subject.toString().replace(/, /g, ',')}\n`);
  expect(facts).toContain(`issuer=${ours.issuer.toString().replace(/, /g, ',')}\n`);
  expect(facts).toContain(`sha256 Fingerprint=${fingerprint(ours, 'sha256')}\n`);
  expect(text).toContain(`Version: ${ours.version} (0x${ours.version - 1})`);
  if (ours.publicKey.bits && ours.publicKey.algorithm !== 'EC') expect(text).toContain(`Public-Key: (${ours.publicKey.bits} bit)`);
  if (ours.publicKey.curve) expect(text).toContain(`NIST CURVE: ${ours.publicKey.curve}`);

  const keyUsage = extensionText(text, 'X509v3 Key Usage');
  expect(keyUsage !== undefined).toBe(ours.keyUsage !== undefined);
  if (keyUsage && ours.keyUsage) {
    const named = keyUsage.body.split(', ').map((t) => KEY_USAGE_TEXT[t]);
    expect(Object.entries(ours.keyUsage).filter(([, on]) => on).map(([n]) => n).sort()).toEqual(named.sort());
    expect(ours.extensions.find((e) => e.oid === OID.keyUsage)?.critical).toBe(keyUsage.critical);
  }
  const ski = extensionText(text, 'X509v3 Subject Key Identifier');
  expect(ski?.body).toBe(ours.subjectKeyIdentifier && colonHex(ours.subjectKeyIdentifier));
  const aki = extensionText(text, 'X509v3 Authority Key Identifier');
  if (ours.authorityKeyIdentifier?.keyIdentifier) expect(aki?.body).toContain(colonHex(ours.authorityKeyIdentifier.keyIdentifier));
  if (ours.authorityKeyIdentifier?.authorityCertSerialNumber) {
    expect(aki?.body).toContain(`serial:${ours.authorityKeyIdentifier.authorityCertSerialNumber.toUpperCase().replace(/(..)(?!$)/g, '$1:')}`);
  }
  const basic = extensionText(text, 'X509v3 Basic Constraints');
  if (ours.basicConstraints) expect(basic?.body).toBe(`CA:${ours.basicConstraints.cA ? 'TRUE' : 'FALSE'}`);
}

describe('certificates made by openssl', () => {
  const load = (name: string) => {
    const pem = readFileSync(files[name]!, 'utf8');
    return { pem, ours: parseCertificate(pem), node: new X509Certificate(pem) };
  };

  it.each(Object.keys(KEYS))('leaf with a %s key, issued by a P-256 CA: every field as node and openssl see it', (name) => {
    const ca = load('ca');
    const leaf = load(`leaf-${name}`);
    const expected = EXPECTED_KEYS[name as KeyName];
    expect(leaf.ours.version).toBe(3);
    expect(leaf.ours.publicKey.algorithm).toBe(expected.algorithm);
    expect(leaf.ours.publicKey.curve).toBe(expected.curve);
    expect(leaf.ours.publicKey.bits).toBe(expected.bits);
    expect(leaf.ours.signatureAlgorithm.oid).toBe(OID.ecdsaWithSha256);
    expect(leaf.ours.serialNumber).toBe('ff' + '01'.repeat(15));
    expect(leaf.ours.subject.commonName).toBe(`leaf-${name}`);
    expect(leaf.ours.subject.get('OU')).toEqual(['Unit']);
    expect(leaf.ours.subject.toString()).toBe(`OU=Unit, O=Example, CN=leaf-${name}`);
    expect(leaf.ours.keyUsage).toMatchObject({ digitalSignature: true, keyEncipherment: true, keyCertSign: false });
    expect(leaf.ours.extKeyUsage).toEqual([OID.clientAuth, OID.emailProtection]);
    expect(leaf.ours.subjectAltName?.map((n) => n.type)).toEqual(['dNSName', 'rfc822Name', 'iPAddress', 'iPAddress', 'uniformResourceIdentifier']);
    expect(leaf.ours.subjectAltName?.[3]).toMatchObject({ type: 'iPAddress', value: '2001:db8:0:0:0:0:0:1' });
    expect(leaf.ours.authorityKeyIdentifier?.keyIdentifier).toEqual(ca.ours.subjectKeyIdentifier);
    expect(leaf.ours.authorityKeyIdentifier?.authorityCertSerialNumber).toBe(ca.ours.serialNumber);
    const dirName = leaf.ours.authorityKeyIdentifier?.authorityCertIssuer?.[0];
    expect(dirName?.type === 'directoryName' && namesMatch(dirName.name, ca.ours.subject)).toBe(true);
    // The unknown-to-ecp certificatePolicies extension is kept raw.
    expect(leaf.ours.extensions.map((e) => e.name)).toContain('certificatePolicies');
    compareWithNode(leaf.ours, leaf.node, ca);
    compareWithOpensslText(leaf.ours, files[`leaf-${name}`]!);
    expect(verifyCertificateSignature(leaf.ours, ca.ours)).toBe(true);
    expect(verifyCertificateSignature(leaf.ours, leaf.ours)).toBe(false);
  });

  it.each([...Object.keys(KEYS), 'rsa-pss-signature'])('self-signed %s certificate (openssl req -x509)', (name) => {
    const self = load(`self-${name}`);
    if (name in EXPECTED_KEYS) {
      expect(self.ours.signatureAlgorithm.oid).toBe(EXPECTED_KEYS[name as KeyName].signature);
    } else {
      expect(self.ours.signatureAlgorithm.oid).toBe(OID.rsassaPss);
      expect(self.ours.publicKey.algorithm).toBe('RSA');
    }
    expect(self.ours.basicConstraints?.cA).toBe(true); // req -x509 applies v3_ca
    compareWithNode(self.ours, self.node, self);
    compareWithOpensslText(self.ours, files[`self-${name}`]!);
    expect(verifyCertificateSignature(self.ours, self.ours)).toBe(true);
  });

  it('v1 certificate: no extensions, high-bit serial without its sign octet', () => {
    const v1 = load('v1');
    expect(v1.ours.version).toBe(1);
    expect(v1.ours.extensions).toEqual([]);
    expect(v1.ours.serialNumber).toBe('80ff');
    expect(v1.ours.keyUsage).toBeUndefined();
    compareWithNode(v1.ours, v1.node, v1);
    compareWithOpensslText(v1.ours, files.v1!);
  });

  it('reads DER as well as PEM, and PEM given as bytes', () => {
    const derFile = work.path('leaf.der');
    opensslOk(['x509', '-in', files['leaf-p256']!, '-outform', 'DER', '-out', derFile]);
    const fromDer = parseCertificate(new Uint8Array(readFileSync(derFile)));
    const fromPemBytes = parseCertificate(new Uint8Array(readFileSync(files['leaf-p256']!)));
    expect(toHex(fromDer.der)).toBe(toHex(fromPemBytes.der));
    expect(toHex(fromDer.tbs)).toBe(toHex(fromDer.der.subarray(4, 4 + fromDer.tbs.length)));
  });
});

/**
 * Extension and GeneralName decoding on openssl-made certificates (every GeneralName form
 * openssl writes, nameConstraints), and the encoders round-tripping through the decoders.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../src/bytes.js';
import { OID } from '../src/der/oids.js';
import * as der from '../src/der/writer.js';
import { decodeDer } from '../src/der/reader.js';
import { parseCertificate, type Certificate } from '../src/x509/certificate.js';
import {
  KEY_USAGE_BITS,
  decodeBasicConstraints,
  decodeKeyUsage,
  decodeNameConstraints,
  encodeBasicConstraints,
  encodeKeyUsage,
} from '../src/x509/extensions.js';
import { encodeGeneralName, encodeGeneralNames, parseGeneralName, parseGeneralNames } from '../src/x509/general-name.js';
import { encodeName } from '../src/x509/name.js';
import { makeWorkdir, opensslOk, type Workdir } from './x509-helpers.js';

const CONFIG = `
[ca]
basicConstraints = critical, CA:TRUE, pathlen:3
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
nameConstraints = critical, permitted;DNS:.example.com, permitted;IP:192.168.0.0/255.255.0.0, permitted;IP:2001:db8::/ffff:ffff::, excluded;email:bad@example.com, excluded;dirName:excluded_dn
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com, RID:1.2.3.4, dirName:alt_dn, DNS:ca.example.com
subjectKeyIdentifier = hash

[alt_dn]
O = Alt Org
CN = Alt Name

[excluded_dn]
O = Evil
`;

let work: Workdir;
let ca: Certificate;

beforeAll(() => {
  work = makeWorkdir('x509-ext');
  const key = work.path('ca.key');
  opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  const file = work.path('ca.pem');
  opensslOk(['req', '-x509', '-new', '-key', key, '-subj', '/CN=Constrained CA', '-days', '1', '-config', work.write('ca.cnf', `[req]\ndistinguished_name = dn\n[dn]\n${CONFIG}`), '-extensions', 'ca', '-out', file]);
  ca = parseCertificate(readFileSync(file, 'utf8'));
});
afterAll(() => work?.remove());

describe('extensions of an openssl-made CA', () => {
  it('basicConstraints with pathLen, keyUsage bits', () => {
    expect(ca.basicConstraints).toEqual({ cA: true, pathLenConstraint: 3 });
    expect(Object.entries(ca.keyUsage!).filter(([, v]) => v).map(([k]) => k)).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
  });

  it('every GeneralName form in subjectAltName', () => {
    const [other, rid, dir, dns] = ca.subjectAltName!;
    expect(other).toMatchObject({ type: 'otherName', typeId: '1.3.6.1.4.1.311.20.2.3' });
    expect(other?.type === 'otherName' && toHex(other.value)).toBe(toHex(der.utf8String('upn@example.com')));
    expect(rid).toMatchObject({ type: 'registeredID', oid: '1.2.3.4' });
    expect(dir?.type === 'directoryName' && dir.name.toString()).toBe('CN=Alt Name, O=Alt Org');
    expect(dns).toMatchObject({ type: 'dNSName', value: 'ca.example.com' });
  });

  it('nameConstraints subtrees, IP ranges as address/mask', () => {
    const nc = ca.nameConstraints!;
    expect(ca.extensions.find((e) => e.oid === OID.nameConstraints)?.critical).toBe(true);
    expect(nc.permittedSubtrees?.map((s) => [s.base.type, 'value' in s.base ? s.base.value : '', s.minimum, s.maximum])).toEqual([
      ['dNSName', '.example.com', 0, undefined],
      ['iPAddress', '192.168.0.0/255.255.0.0', 0, undefined],
      ['iPAddress', '2001:db8:0:0:0:0:0:0/ffff:ffff:0:0:0:0:0:0', 0, undefined],
    ]);
    const excluded = nc.excludedSubtrees!;
    expect(excluded[0]?.base).toMatchObject({ type: 'rfc822Name', value: 'bad@example.com' });
    expect(excluded[1]?.base.type === 'directoryName' && excluded[1].base.name.toString()).toBe('O=Evil');
  });
});

describe('GeneralName encoders and decoders', () => {
  it('round-trip every form ecp writes, IPv6 shorthand included', () => {
    const names = [
      { type: 'dNSName', value: 'a.example' },
      { type: 'rfc822Name', value: 'a@example.com' },
      { type: 'uniformResourceIdentifier', value: 'https://example.com/x' },
      { type: 'iPAddress', value: '10.0.0.1' },
      { type: 'iPAddress', value: '::1' },
      { type: 'iPAddress', value: 'fe80::1:2' },
      { type: 'iPAddress', value: '2001:db8:0:0:0:0:0:1' },
      { type: 'directoryName', nameDer: encodeName({ CN: 'x' }) },
    ] as const;
    const decoded = parseGeneralNames(decodeDer(encodeGeneralNames(names)));
    expect(decoded.map((n) => ('value' in n ? n.value : n.type === 'directoryName' ? n.name.toString() : ''))).toEqual([
      'a.example',
      'a@example.com',
      'https://example.com/x',
      '10.0.0.1',
      '0:0:0:0:0:0:0:1',
      'fe80:0:0:0:0:0:1:2',
      '2001:db8:0:0:0:0:0:1',
      'CN=x',
    ]);
  });

  it('refuse bad input on both sides', () => {
    for (const bad of ['1.2.3', '256.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4:5:6:7']) {
      expect(() => encodeGeneralName({ type: 'iPAddress', value: bad }), bad).toThrow(/bad IP/);
    }
    expect(() => encodeGeneralName({ type: 'dNSName', value: 'é.example' })).toThrow(/ASCII/);
    expect(() => parseGeneralName(decodeDer(der.implicitPrimitive(2, Uint8Array.of(0xc3, 0xa9))))).toThrow(/not an IA5String/);
    expect(() => parseGeneralName(decodeDer(der.implicitPrimitive(7, new Uint8Array(5))))).toThrow(/iPAddress of 5 octets/);
    // An address-and-mask is a constraint, never a name; a bare address is never a constraint.
    expect(() => parseGeneralName(decodeDer(der.implicitPrimitive(7, new Uint8Array(8))))).toThrow(/iPAddress of 8 octets/);
    expect(() => parseGeneralName(decodeDer(der.implicitPrimitive(7, new Uint8Array(4))), 'x', 'constraint')).toThrow(/iPAddress of 4 octets/);
    expect(() => parseGeneralName(decodeDer(der.implicitPrimitive(9, new Uint8Array(1))))).toThrow(/unknown GeneralName tag/);
    expect(() => parseGeneralNames(decodeDer(der.sequence()))).toThrow(/empty/);
    const bareConstraint = der.sequence(der.explicit(0, der.sequence(der.implicitPrimitive(7, new Uint8Array(4)))));
    expect(() => decodeNameConstraints(bareConstraint)).toThrow(/iPAddress of 4 octets/);
    expect(() => decodeNameConstraints(der.sequence())).toThrow(/neither permitted nor excluded/);
  });
});

describe('keyUsage and basicConstraints encoders', () => {
  it('write minimal named bit lists that decode to the same bits', () => {
    for (let mask = 1; mask < 1 << KEY_USAGE_BITS.length; mask += 7) {
      const names = KEY_USAGE_BITS.filter((_, i) => mask & (1 << i));
      const decoded = decodeKeyUsage(encodeKeyUsage(names));
      expect(KEY_USAGE_BITS.filter((n) => decoded[n])).toEqual(names);
    }
    expect(toHex(encodeKeyUsage(['digitalSignature']))).toBe('03020780');
    expect(toHex(encodeKeyUsage(['keyCertSign', 'cRLSign']))).toBe('03020106');
    expect(toHex(encodeKeyUsage(['decipherOnly']))).toBe('0303070080');
  });

  it('omit DEFAULT values in basicConstraints', () => {
    expect(toHex(encodeBasicConstraints({ cA: false }))).toBe('3000');
    expect(toHex(encodeBasicConstraints({ cA: true, pathLenConstraint: 0 }))).toBe('30060101ff020100');
    expect(decodeBasicConstraints(encodeBasicConstraints({ cA: true, pathLenConstraint: 2 }))).toEqual({ cA: true, pathLenConstraint: 2 });
    expect(() => decodeBasicConstraints(der.sequence(der.boolean(true), der.tlv(0x02, Uint8Array.of(0xff))))).toThrow(/out of range/);
  });
});

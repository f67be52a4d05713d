import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputTooLargeError, MalformedInputError } from '@ecp/core';
import { decodeCertificateHeader, MAX_CERTIFICATE_HEADER_LENGTH, percentDecode } from '../../src/client-cert/header-decoding.js';
import { createClientCertificateFixtures, type ClientCertificateFixtures } from './fixtures.js';

let fixtures: ClientCertificateFixtures;
let der: Buffer;
let pem: string;
let base64: string;

beforeAll(() => {
  fixtures = createClientCertificateFixtures();
  der = fixtures.valid.der;
  pem = fixtures.valid.certPem;
  base64 = der.toString('base64');
});
afterAll(() => fixtures?.cleanup());

/** nginx's $ssl_client_escaped_cert: everything outside RFC 3986 unreserved is escaped. */
const nginxEscape = (text: string) => encodeURIComponent(text);
/** AWS ALB leaves +, = and / unescaped: the case that breaks form-decoding. */
const albEscape = (text: string) => encodeURIComponent(text).replace(/%2B/g, '+').replace(/%3D/g, '=').replace(/%2F/g, '/');

describe('decodeCertificateHeader', () => {
  it('reads nginx $ssl_client_escaped_cert (fully escaped PEM on one line)', () => {
    const value = nginxEscape(pem);
    expect(value).not.toContain('\n');
    expect(Buffer.from(decodeCertificateHeader(value)!)).toEqual(der);
    expect(Buffer.from(decodeCertificateHeader(value, 'pem-urlencoded')!)).toEqual(der);
  });

  it('keeps a literal "+" as "+" (ALB-style escaping), where form-decoding would turn it into a space', () => {
    const value = albEscape(pem);
    expect(value).toContain('+'); // the fixture's base64 has a plus; otherwise this test proves nothing
    expect(Buffer.from(decodeCertificateHeader(value)!)).toEqual(der);
    expect(percentDecode(value)).toBe(pem);
    // What form-decoding would have produced: another byte string, so not this certificate.
    const formDecoded = new URLSearchParams(`v=${value}`).get('v')!;
    expect(formDecoded).not.toBe(pem);
  });

  it('reads single-line base64 DER (HAProxy, Cloudflare), with or without padding', () => {
    expect(Buffer.from(decodeCertificateHeader(base64)!)).toEqual(der);
    expect(Buffer.from(decodeCertificateHeader(base64.replace(/=+$/, ''), 'base64-der')!)).toEqual(der);
  });

  it("reads Traefik's URL-escaped base64 and takes the leaf before the chain", () => {
    // The client's chain after the comma is not used: intermediates come from the configuration.
    const value = `${encodeURIComponent(base64)},${encodeURIComponent(Buffer.from('a chain certificate').toString('base64'))}`;
    expect(Buffer.from(decodeCertificateHeader(value)!)).toEqual(der);
  });

  it('reads RFC 9440 Client-Cert (:base64:) and refuses a half-wrapped value', () => {
    expect(Buffer.from(decodeCertificateHeader(`:${base64}:`)!)).toEqual(der);
    expect(Buffer.from(decodeCertificateHeader(`:${base64}:`, 'rfc9440')!)).toEqual(der);
    expect(() => decodeCertificateHeader(`:${base64}`)).toThrow(MalformedInputError);
    expect(() => decodeCertificateHeader(`:${base64} :`)).toThrow(MalformedInputError);
  });

  it("reads Envoy's x-forwarded-client-cert, taking the last element's Cert", () => {
    const other = encodeURIComponent(fixtures.foreign.certPem);
    const mine = encodeURIComponent(pem);
    const value = `By=spiffe://outer;Hash=00ff;Cert="${other}";Subject="CN=x,O=\\"quoted\\"",By=spiffe://edge;Hash=abcd;Cert="${mine}";URI=spiffe://client`;
    expect(Buffer.from(decodeCertificateHeader(value)!)).toEqual(der);
    expect(Buffer.from(decodeCertificateHeader(value, 'envoy-xfcc')!)).toEqual(der);
    // Unquoted Cert values are valid too.
    expect(Buffer.from(decodeCertificateHeader(`Hash=1;Cert=${mine}`)!)).toEqual(der);
  });

  it('says "no certificate" for an empty value and for an Envoy element without Cert', () => {
    expect(decodeCertificateHeader('')).toBeNull();
    expect(decodeCertificateHeader('   ')).toBeNull();
    // The proxy's own (last) element has no Cert: an earlier element's certificate must not be used.
    expect(decodeCertificateHeader(`Cert="${encodeURIComponent(pem)}",By=spiffe://edge;Hash=abcd`)).toBeNull();
  });

  it('refuses malformed Envoy headers instead of guessing', () => {
    for (const value of [
      'Cert="unterminated',
      `Cert="${encodeURIComponent(pem)}"trailing`,
      `Cert=${encodeURIComponent(pem)};Cert=${encodeURIComponent(pem)}`,
      'Cert',
      'By=a;=b',
      'Cert="abc\\',
    ]) {
      expect(() => decodeCertificateHeader(value, 'envoy-xfcc'), value).toThrow(MalformedInputError);
    }
  });

  it('refuses bad percent-escapes, bad base64 and PEM without a CERTIFICATE block', () => {
    expect(() => decodeCertificateHeader('-----BEGIN%20CERTIFICATE-----%ZZ')).toThrow(MalformedInputError);
    expect(() => decodeCertificateHeader('-----BEGIN%20CERTIFICATE-----%E0%A4%A')).toThrow(MalformedInputError);
    expect(() => decodeCertificateHeader('not base64!')).toThrow(MalformedInputError);
    expect(() => decodeCertificateHeader('QUJD=A')).toThrow(MalformedInputError);
    const key = '-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n';
    expect(() => decodeCertificateHeader(nginxEscape(key))).toThrow(/no PEM CERTIFICATE block/);
  });

  it('bounds the header size before decoding anything', () => {
    const huge = 'A'.repeat(MAX_CERTIFICATE_HEADER_LENGTH + 1);
    expect(() => decodeCertificateHeader(huge)).toThrow(InputTooLargeError);
    expect(() => decodeCertificateHeader('A'.repeat(MAX_CERTIFICATE_HEADER_LENGTH))).not.toThrow(InputTooLargeError);
  });
});

describe('percentDecode', () => {
  it('decodes %XX only and never turns + into a space', () => {
    expect(percentDecode('a+b%20c%2Bd')).toBe('a+b c+d');
    expect(percentDecode('plain')).toBe('plain');
  });
});

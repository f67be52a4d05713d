/** The trusted-proxy-aware client IP (unit level; the rate-limit tests show it over sockets). */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp, parseTrustedProxies, rateLimitKey, trustProxyFunction } from '../src/index.js';

describe('parseTrustedProxies', () => {
  it('matches single addresses and CIDR ranges of both families', () => {
    const list = parseTrustedProxies(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', ' 172.16.0.5 ']);
    expect(list.has('10.0.0.1')).toBe(true);
    expect(list.has('10.0.0.2')).toBe(false);
    expect(list.has('192.168.44.7')).toBe(true);
    expect(list.has('192.169.0.1')).toBe(false);
    expect(list.has('::1')).toBe(true);
    expect(list.has('fd12:3456::1')).toBe(true);
    expect(list.has('fe80::1')).toBe(false);
    expect(list.has('172.16.0.5')).toBe(true);
    // Node reports IPv4 peers of a dual-stack socket as IPv4-mapped IPv6.
    expect(list.has('::ffff:10.0.0.1')).toBe(true);
    expect(list.has('::ffff:10.0.0.9')).toBe(false);
    expect(list.has('not an ip')).toBe(false);
    expect(list.has(undefined)).toBe(false);
  });

  it('trusts nobody by default', () => {
    expect(parseTrustedProxies([]).has('127.0.0.1')).toBe(false);
  });

  it.each([['localhost'], ['10.0.0.0/8/8'], ['10.0.0.0/x'], ['::1/129'], ['1.2.3.4/-1'], ['']])('refuses %j', (entry) => {
    expect(() => parseTrustedProxies([entry])).toThrow(TypeError);
  });

  it('gives Fastify a trustProxy function over the same list', () => {
    const trust = trustProxyFunction(['10.0.0.0/8']);
    expect(trust('10.1.2.3', 0)).toBe(true);
    expect(trust('11.1.2.3', 0)).toBe(false);
  });
});

describe('clientIp', () => {
  let app: FastifyInstance;
  const trusted = parseTrustedProxies(['10.0.0.1', '10.0.0.2', '2001:db8::1']);

  beforeAll(async () => {
    app = Fastify();
    app.get('/ip', async (request) => ({ ip: clientIp(request, trusted) }));
    await app.ready();
  });
  afterAll(() => app.close());

  const ipOf = async (remoteAddress: string, forwarded?: string | string[]): Promise<string> => {
    const headers = forwarded === undefined ? {} : { 'x-forwarded-for': forwarded };
    return (await app.inject({ url: '/ip', remoteAddress, headers })).json<{ ip: string }>().ip;
  };

  it('is the peer when the peer is not a trusted proxy, whatever the header says', async () => {
    expect(await ipOf('203.0.113.9')).toBe('203.0.113.9');
    expect(await ipOf('203.0.113.9', '1.1.1.1')).toBe('203.0.113.9');
  });

  it('is the address the trusted proxy appended', async () => {
    expect(await ipOf('10.0.0.1', '198.51.100.4')).toBe('198.51.100.4');
    // What the client wrote itself (left of the proxy's entry) is not believed.
    expect(await ipOf('10.0.0.1', '6.6.6.6, 198.51.100.4')).toBe('198.51.100.4');
  });

  it('walks back through a chain of trusted proxies', async () => {
    expect(await ipOf('10.0.0.1', '6.6.6.6, 198.51.100.4, 10.0.0.2')).toBe('198.51.100.4');
    expect(await ipOf('10.0.0.1', '10.0.0.2, 10.0.0.1')).toBe('10.0.0.2');
  });

  it('stops at an entry that is not an address', async () => {
    expect(await ipOf('10.0.0.1', '198.51.100.4, garbage')).toBe('10.0.0.1');
    expect(await ipOf('10.0.0.1', 'garbage, 10.0.0.2')).toBe('10.0.0.2');
  });

  it('is the proxy itself without a header, and reads IPv6 and mapped addresses', async () => {
    expect(await ipOf('10.0.0.1')).toBe('10.0.0.1');
    expect(await ipOf('::ffff:10.0.0.1', '2001:db8::7')).toBe('2001:db8::7');
    expect(await ipOf('2001:db8::1', '::ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('reads repeated header lines as one list', async () => {
    expect(await ipOf('10.0.0.1', ['6.6.6.6', '198.51.100.4'])).toBe('198.51.100.4');
  });
});

describe('rateLimitKey', () => {
  it('keeps IPv4 addresses and keys IPv6 clients by their /64', () => {
    expect(rateLimitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:0db8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('gives two addresses of one /64 one limit and neighbouring networks separate ones', () => {
    expect(rateLimitKey('2001:db8:a:b::1')).toBe(rateLimitKey('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(rateLimitKey('2001:db8:a:b::1')).not.toBe(rateLimitKey('2001:db8:a:c::1'));
  });
});

/**
 * The client's IP address, believing `X-Forwarded-For` only from configured proxies.
 *
 * Fastify's `trustProxy: true` believes every `X-Forwarded-For`, which lets any client
 * choose the address its rate limit is counted against. Here the header is read only when
 * the TCP peer is in the trusted list, and then from the right: each hop appended by a
 * trusted proxy is skipped, and the first address that is not a trusted proxy is the
 * client. Entries left of it were written by the client itself and are never believed.
 */
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** Bounds: a list longer than this is a configuration mistake, a header longer is an attack. */
const MAX_TRUSTED_ENTRIES = 1_000;
const MAX_FORWARDED_HOPS = 32;

export interface TrustedProxies {
  /** The entries as configured (for messages and option echoes). */
  readonly entries: readonly string[];
  /** True when `address` (as Node reports a peer) is one of the trusted proxies. */
  has(address: string | undefined): boolean;
}

/**
 * Builds the trusted-proxy list from IPs and CIDRs (`10.0.0.1`, `10.0.0.0/8`, `::1`,
 * `fd00::/8`). Throws a TypeError naming the bad entry, so a typo fails at start-up.
 */
export function parseTrustedProxies(entries: readonly string[]): TrustedProxies {
  if (!Array.isArray(entries)) throw new TypeError('trustedProxies must be an array of IP addresses or CIDR ranges');
  if (entries.length > MAX_TRUSTED_ENTRIES) throw new TypeError(`trustedProxies has more than ${MAX_TRUSTED_ENTRIES} entries`);
  const list = new BlockList();
  for (const raw of entries) {
    if (typeof raw !== 'string') throw new TypeError('trustedProxies entries must be strings');
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const family = isIP(address);
    if (family === 0) throw new TypeError(`trustedProxies: "${raw}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash === -1) {
      list.addAddress(address, type);
      continue;
    }
    const prefixText = entry.slice(slash + 1);
    const prefix = Number(prefixText);
    const maxPrefix = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || prefix > maxPrefix) {
      throw new TypeError(`trustedProxies: "${raw}" has an invalid prefix length (0-${maxPrefix})`);
    }
    list.addSubnet(address, prefix, type);
  }
  const frozen = Object.freeze(entries.map((entry) => entry.trim()));
  return {
    entries: frozen,
    has(address) {
      if (address === undefined || frozen.length === 0) return false;
      const normalised = normaliseAddress(address);
      if (normalised === null) return false;
      return list.check(normalised.address, normalised.type);
    },
  };
}

/** The client IP of `request` under the given trusted proxies (see the module comment). */
export function clientIp(request: FastifyRequest, trusted: TrustedProxies): string {
  const peer = request.raw.socket?.remoteAddress ?? request.ip;
  const peerAddress = normaliseAddress(peer)?.address ?? peer;
  if (!trusted.has(peerAddress)) return peerAddress;
  const header = request.headers['x-forwarded-for'];
  // Node joins repeated X-Forwarded-For lines with ", ", but a string[] is possible from inject().
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.length === 0) return peerAddress;
  const hops = value.split(',').slice(-MAX_FORWARDED_HOPS);
  let client = peerAddress;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress((hops[i] ?? '').trim());
    // A hop that is not an address ends the trusted chain: believe nothing left of it.
    if (hop === null) return client;
    client = hop.address;
    if (!trusted.has(client)) return client;
  }
  return client;
}

/**
 * The key a client is rate-limited by: an IPv4 address as it is, an IPv6 address by its
 * /64 network. One subscriber usually holds a whole /64, so keying by the full IPv6
 * address would give every client 2^64 separate limits.
 */
export function rateLimitKey(address: string): string {
  const bare = address.split('%')[0]!; // a zone index (fe80::1%eth0) names no other network
  if (!bare.includes(':')) return bare;
  const [head = '', tail] = bare.split('::');
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  // An embedded IPv4 tail (::ffff:192.0.2.1) fills two groups.
  const width = (groups: string[]): number => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - width(left) - width(right))).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * A `trustProxy` function for Fastify's own options, built from the same list, so that
 * `request.protocol` (and with it a `secure: 'auto'` session cookie) honours
 * `X-Forwarded-Proto` from the trusted proxies and from nobody else.
 */
export function trustProxyFunction(trusted: TrustedProxies | readonly string[]): (address: string, hop: number) => boolean {
  const list = isTrustedProxies(trusted) ? trusted : parseTrustedProxies(trusted);
  return (address) => list.has(address);
}

function isTrustedProxies(value: TrustedProxies | readonly string[]): value is TrustedProxies {
  return !Array.isArray(value);
}

/** Plain address and family; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as the IPv4 address. */
function normaliseAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } | null {
  if (address.length === 0 || address.length > 64) return null;
  const family = isIP(address);
  if (family === 4) return { address, type: 'ipv4' };
  if (family !== 6) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return { address: mapped[1], type: 'ipv4' };
  return { address, type: 'ipv6' };
}

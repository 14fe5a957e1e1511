import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a feed must not make a run fetch from: loopback, private and link-local networks (cloud
 * metadata at 169.254.169.254 among them), carrier-grade NAT, multicast and reserved ranges. A feed that
 * links an article page or an image there could otherwise have its content published.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True for an IP address (v4 or v6, brackets allowed) in a private, loopback, link-local or reserved range. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const version = isIP(ip);
  if (version === 4) return PRIVATE.check(ip, 'ipv4');
  if (version !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d, or NAT64's 64:ff9b::a.b.c.d) reaches that IPv4 address.
  const embedded = embeddedIpv4(ip);
  return embedded !== null ? PRIVATE.check(embedded, 'ipv4') : PRIVATE.check(ip, 'ipv6');
}

function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const prefix = ['::ffff:', '64:ff9b::'].find((candidate) => lower.startsWith(candidate));
  if (!prefix) return null;
  const rest = lower.slice(prefix.length);
  if (isIP(rest) === 4) return rest;
  // The hexadecimal spelling, as the URL parser writes it: ::ffff:7f00:1.
  const groups = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!groups) return null;
  const high = parseInt(groups[1]!, 16);
  const low = parseInt(groups[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** The error a refused address gives; the HTTP client turns it into a FetchError naming the URL. */
class PrivateAddressError extends Error {
  readonly code = 'ENEWSSTAND_PRIVATE';
  constructor(host: string, address: string) {
    super(host === address ? `${host} is a private network address` : `${host} resolves to the private network address ${address}`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` for sockets that must reach public addresses only: it resolves as usual and fails when
 * any address found is private (checking every address, so a host cannot pass with one public and one
 * private answer and have the connection pick the private one).
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(new PrivateAddressError(hostname, refused.address), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

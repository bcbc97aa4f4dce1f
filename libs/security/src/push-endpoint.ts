import { lookup as dnsLookupAll } from 'node:dns/promises';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { withTimeout } from '@clarion/errors';

/**
 * A push endpoint is a URL the supporter's browser chose, so whoever controls
 * a subscription controls where the server sends a POST. These checks keep
 * those requests on the public internet: no loopback, private, link-local or
 * otherwise special addresses, which would reach services inside our network.
 */

export type PushEndpointVerdict = { ok: true } | { ok: false; reason: string };

export interface PushEndpointCheckOptions {
  /** Origins allowed without these rules: the embedded local push service, the installation's allow-list (OutboundRules). */
  allowOrigins?: readonly string[];
  /** Resolves a host name to all its addresses; defaults to the system resolver. */
  lookup?: (host: string) => Promise<string[]>;
  /** Bound on the lookup. */
  timeoutMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 2_000;

const special = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", including the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including broadcast
] as const) {
  special.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10],
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
] as const) {
  special.addSubnet(network, prefix, 'ipv6');
}

/** `::ffff:10.0.0.1`, or `::ffff:a00:1` as URL parsing writes it: an IPv4 address in IPv6 clothing. */
const IPV4_MAPPED = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

function embeddedIpv4(address: string): string | undefined {
  const match = IPV4_MAPPED.exec(address);
  if (!match) return undefined;
  if (match[1]) return match[1];
  const high = parseInt(match[2], 16);
  const low = parseInt(match[3], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** True only for an address on the public internet. Anything that does not parse as an IP address is not public. */
export function isPublicAddress(address: string): boolean {
  const mapped = embeddedIpv4(address);
  if (mapped) return isPublicAddress(mapped);
  if (isIPv4(address)) return !special.check(address, 'ipv4');
  if (isIPv6(address)) return !special.check(address, 'ipv6');
  return false;
}

/** Every address the system resolver gives for a host (IPv4 and IPv6). */
export async function lookupAddresses(host: string): Promise<string[]> {
  const found = await dnsLookupAll(host, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}

/**
 * Whether the server may send to this push endpoint: an https URL on port
 * 443 (where every browser's push service is) whose host resolves only to
 * public addresses, or one at an allowed origin. Every address must be
 * public, as the connection may use any of them.
 */
export async function checkPushEndpoint(url: string, options: PushEndpointCheckOptions = {}): Promise<PushEndpointVerdict> {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    return refused('is not a URL');
  }
  if (options.allowOrigins?.some((origin) => endpoint.origin === new URL(origin).origin)) return { ok: true };
  if (endpoint.protocol !== 'https:') return refused('must be an https URL');
  // The URL parser drops an explicit :443, so any port left is another one.
  if (endpoint.port !== '') return refused(`must be on port 443, not ${endpoint.port}`);
  if (endpoint.username || endpoint.password) return refused('must not carry credentials');

  const host = endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIPv4(host) || isIPv6(host)) {
    addresses = [host];
  } else {
    try {
      const timeoutMs = options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
      addresses = await withTimeout((options.lookup ?? lookupAddresses)(host), timeoutMs, `lookup took longer than ${timeoutMs} ms`);
    } catch (error) {
      return refused(`host did not resolve: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (addresses.length === 0) return refused('host has no addresses');
  if (!addresses.every(isPublicAddress)) return refused('host resolves to a non-public address');
  return { ok: true };
}

/** What a connection to a host with a non-public address fails with (OutboundRules.publicLookup, connectSmtp). */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  constructor(host: string) {
    super(`${host} resolves to a non-public address`);
    this.name = 'NonPublicAddressError';
  }
}

function refused(reason: string): PushEndpointVerdict {
  return { ok: false, reason: `push endpoint ${reason}` };
}

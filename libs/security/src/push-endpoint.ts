import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import { BlockList, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { withTimeout } from '@clarion/errors';

/**
 * A push endpoint is a URL the supporter's browser chose, so whoever controls
 * a subscription controls where the server sends a POST. These checks keep
 * those requests on the public internet: no loopback, private, link-local or
 * otherwise special addresses, which would reach services inside our network.
 */

export type PushEndpointVerdict = { ok: true } | { ok: false; reason: string };

export interface PushEndpointCheckOptions {
  /** The one origin allowed without these rules: the embedded local push service. */
  allowOrigin?: string;
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
 * Whether the server may send to this push endpoint: an https URL whose host
 * resolves only to public addresses, or one at `allowOrigin`. Every address
 * must be public, as the connection may use any of them.
 */
export async function checkPushEndpoint(url: string, options: PushEndpointCheckOptions = {}): Promise<PushEndpointVerdict> {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    return refused('is not a URL');
  }
  if (options.allowOrigin !== undefined && endpoint.origin === new URL(options.allowOrigin).origin) return { ok: true };
  if (endpoint.protocol !== 'https:') return refused('must be an https URL');
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

/** What a connection refused by `publicAddressLookup` fails with. */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  constructor(host: string) {
    super(`${host} resolves to a non-public address`);
    this.name = 'NonPublicAddressError';
  }
}

/**
 * A `lookup` for sockets (e.g. an https.Agent's) that refuses hosts with any
 * non-public address. Checking again at connect time closes the gap between
 * checkPushEndpoint and the request, where a host could start resolving elsewhere.
 */
export const publicAddressLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || !addresses.every((entry) => isPublicAddress(entry.address))) {
      return callback(new NonPublicAddressError(hostname), '', 0);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function refused(reason: string): PushEndpointVerdict {
  return { ok: false, reason: `push endpoint ${reason}` };
}

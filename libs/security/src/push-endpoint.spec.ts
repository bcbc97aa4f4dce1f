import type { LookupAddress } from 'node:dns';
import { checkPushEndpoint, isPublicAddress, NonPublicAddressError, publicAddressLookup } from './push-endpoint';

/** A resolver that knows a few names and never touches the network. */
function fakeDns(records: Record<string, string[]>) {
  return async (host: string) => {
    const found = records[host];
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return found;
  };
}

const lookup = fakeDns({
  'push.example.org': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.org': ['10.1.2.3'],
  'mixed.example.org': ['93.184.216.34', '192.168.1.10'],
  'sneaky.example.org': ['::ffff:127.0.0.1'],
  'empty.example.org': [],
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '::ffff:7f00:1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkPushEndpoint', () => {
  it('accepts an https endpoint whose host resolves only to public addresses', async () => {
    await expect(checkPushEndpoint('https://push.example.org/wpush/v2/abc', { lookup })).resolves.toEqual({ ok: true });
  });

  it.each([
    ['http://push.example.org/x', 'must be an https URL'],
    ['https://user:pw@push.example.org/x', 'must not carry credentials'],
    ['not a url', 'is not a URL'],
    ['https://10.0.0.1/x', 'non-public address'],
    ['https://[::1]/x', 'non-public address'],
    ['https://[::ffff:10.0.0.1]/x', 'non-public address'],
    ['https://internal.example.org/x', 'non-public address'],
    ['https://mixed.example.org/x', 'non-public address'],
    ['https://sneaky.example.org/x', 'non-public address'],
    ['https://empty.example.org/x', 'has no addresses'],
    ['https://unknown.example.org/x', 'did not resolve'],
  ])('refuses %s (%s)', async (url, reason) => {
    const verdict = await checkPushEndpoint(url, { lookup });
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('lets the allowed origin through even over plain http on loopback, and nothing else on that host', async () => {
    const allowOrigin = 'http://127.0.0.1:8090';
    await expect(checkPushEndpoint('http://127.0.0.1:8090/push/abc', { allowOrigin, lookup })).resolves.toEqual({ ok: true });
    await expect(checkPushEndpoint('http://127.0.0.1:8091/push/abc', { allowOrigin, lookup })).resolves.toMatchObject({ ok: false });
    await expect(checkPushEndpoint('https://127.0.0.1:8090/push/abc', { allowOrigin, lookup })).resolves.toMatchObject({ ok: false });
  });

  it('gives up on a lookup that does not answer in time', async () => {
    const hanging = () => new Promise<string[]>(() => undefined);
    const verdict = await checkPushEndpoint('https://slow.example.org/x', { lookup: hanging, timeoutMs: 20 });
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining('longer than 20 ms') });
  });
});

describe('publicAddressLookup', () => {
  it('fails the connection to a host that resolves to a non-public address', async () => {
    // localhost resolves from the hosts file, without the network.
    const error = await new Promise<unknown>((resolve) => publicAddressLookup('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(NonPublicAddressError);
  });

  it('answers an IP literal that is public, in the shape the caller asked for', async () => {
    const one = await new Promise<[string, number | undefined]>((resolve, reject) =>
      publicAddressLookup('93.184.216.34', {}, (err, address, family) => (err ? reject(err) : resolve([address as string, family]))),
    );
    expect(one).toEqual(['93.184.216.34', 4]);
    const all = await new Promise<LookupAddress[]>((resolve, reject) =>
      publicAddressLookup('93.184.216.34', { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[]))),
    );
    expect(all).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});

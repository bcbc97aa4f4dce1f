import { checkPushEndpoint, isPublicAddress } from './push-endpoint';

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
    ['https://push.example.org:4222/x', 'must be on port 443, not 4222'],
    ['https://push.example.org:8443/x', 'must be on port 443, not 8443'],
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

  it('accepts port 443 written out', async () => {
    await expect(checkPushEndpoint('https://push.example.org:443/wpush/v2/abc', { lookup })).resolves.toEqual({ ok: true });
  });

  it('lets an allowed origin through even over plain http on loopback, and nothing else on that host', async () => {
    const allowOrigins = ['http://127.0.0.1:8090', 'https://push.internal.example:8443'];
    await expect(checkPushEndpoint('http://127.0.0.1:8090/push/abc', { allowOrigins, lookup })).resolves.toEqual({ ok: true });
    await expect(checkPushEndpoint('https://push.internal.example:8443/abc', { allowOrigins, lookup })).resolves.toEqual({ ok: true });
    await expect(checkPushEndpoint('http://127.0.0.1:8091/push/abc', { allowOrigins, lookup })).resolves.toMatchObject({ ok: false });
    await expect(checkPushEndpoint('https://127.0.0.1:8090/push/abc', { allowOrigins, lookup })).resolves.toMatchObject({ ok: false });
    await expect(checkPushEndpoint('https://push.internal.example/abc', { allowOrigins, lookup })).resolves.toMatchObject({ ok: false });
  });

  it('gives up on a lookup that does not answer in time', async () => {
    const hanging = () => new Promise<string[]>(() => undefined);
    const verdict = await checkPushEndpoint('https://slow.example.org/x', { lookup: hanging, timeoutMs: 20 });
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining('longer than 20 ms') });
  });
});

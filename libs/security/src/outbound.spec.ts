import type { LookupAddress } from 'node:dns';
import { startCanary, type Canary } from '@clarion/testing';
import { OutboundRules, type HostLookup } from './outbound';
import { NonPublicAddressError } from './push-endpoint';

/** A resolver that knows a few names and never touches the network. */
function fakeDns(records: Record<string, string[]>): HostLookup {
  return async (host: string) => {
    const found = records[host];
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return found;
  };
}

const lookup = fakeDns({
  'mail.rights.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.rights.example': ['10.1.2.3'],
  'metadata.rights.example': ['169.254.169.254'],
  'mixed.rights.example': ['93.184.216.34', '192.168.1.10'],
  'sneaky.rights.example': ['::ffff:127.0.0.1'],
  'relay.internal.example': ['127.0.0.1'],
  'rebound.rights.example': ['127.0.0.1'],
});

describe('OutboundRules: an organisation’s SMTP server', () => {
  const rules = new OutboundRules({ lookup, allowList: ['smtp://relay.internal.example:2526', 'smtps://10.9.8.7'] });

  it.each([
    'smtp://mail.rights.example',
    'smtp://mail.rights.example:25',
    'smtps://user:pa%24%24@mail.rights.example:465',
    'smtp://mail.rights.example:2525/',
    'smtp://93.184.216.34:587',
  ])('accepts %s (public, on an SMTP port)', async (url) => {
    await expect(rules.checkSmtpServer(url)).resolves.toEqual({ ok: true });
  });

  it.each([
    ['smtp://127.0.0.1:25', 'non-public address'],
    ['smtp://169.254.169.254:25', 'non-public address'],
    ['smtp://[::1]:25', 'non-public address'],
    ['smtp://[::ffff:7f00:1]:25', 'non-public address'],
    ['smtp://10.0.0.1:587', 'non-public address'],
    ['smtp://internal.rights.example', 'non-public address'],
    ['smtp://metadata.rights.example:25', 'non-public address'],
    ['smtp://mixed.rights.example:25', 'non-public address'],
    ['smtp://sneaky.rights.example:25', 'non-public address'],
    ['smtp://unknown.rights.example:25', 'did not resolve'],
    ['smtp://mail.rights.example:4222', 'must be on an SMTP port (25, 465, 587, 2525), not 4222'],
    ['smtp://mail.rights.example:27017', 'not 27017'],
    ['smtps://mail.rights.example:443', 'not 443'],
    ['smtp://mail.rights.example:25/?proxy=socks5://127.0.0.1:1080', 'must have no path or query'],
    ['smtp://mail.rights.example:25/path', 'must have no path or query'],
    ['https://mail.rights.example', 'must be an smtp:// or smtps:// URL'],
    ['not a url', 'is not a URL'],
  ])('refuses %s (%s)', async (url, reason) => {
    await expect(rules.checkSmtpServer(url)).resolves.toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('refuses numeric spellings of loopback that only the system resolver turns into 127.0.0.1', async () => {
    const system = new OutboundRules();
    for (const url of ['smtp://2130706433:25', 'smtp://0x7f.1:25', 'smtp://127.1:25', 'smtp://LOCALHOST:25']) {
      await expect(system.checkSmtpServer(url)).resolves.toEqual({ ok: false, reason: expect.stringContaining('non-public address') });
    }
  });

  it('lets allow-listed servers through, on their own port only, and takes SMTP_PORTS', async () => {
    await expect(rules.checkSmtpServer('smtp://relay.internal.example:2526')).resolves.toEqual({ ok: true });
    await expect(rules.checkSmtpServer('smtps://user:pw@10.9.8.7')).resolves.toEqual({ ok: true });
    await expect(rules.checkSmtpServer('smtp://relay.internal.example:25')).resolves.toMatchObject({ ok: false });
    await expect(rules.checkSmtpServer('smtp://10.9.8.7:25')).resolves.toMatchObject({ ok: false });
    const morePorts = new OutboundRules({ lookup, smtpPorts: [25, 8025] });
    await expect(morePorts.checkSmtpServer('smtp://mail.rights.example:8025')).resolves.toEqual({ ok: true });
    await expect(morePorts.checkSmtpServer('smtp://mail.rights.example:587')).resolves.toMatchObject({ ok: false });
  });

  it('tells the form, port and allow-listing apart without the network', () => {
    expect(rules.smtpServer('smtps://mail.rights.example')).toEqual({ ok: true, server: { host: 'mail.rights.example', port: 465, secure: true }, allowListed: false });
    expect(rules.smtpServer('smtp://RELAY.internal.example:2526')).toMatchObject({ ok: true, allowListed: true });
    expect(rules.smtpServer('smtp://[::1]:25')).toMatchObject({ ok: true, server: { host: '::1' } });
  });
});

describe('OutboundRules.connectSmtp: checked again when connecting', () => {
  let listener: Canary;
  beforeEach(async () => {
    listener = await startCanary();
  });
  afterEach(async () => listener.close());

  it('refuses a host that resolves to a private address now, whatever it resolved to when it was set, and nothing connects', async () => {
    // Set while the name pointed at a public address; now it points at the canary's.
    let answer = ['93.184.216.34'];
    const rebinding = new OutboundRules({ lookup: async () => answer, smtpPorts: [listener.port] });
    await expect(rebinding.checkSmtpServer(`smtp://rebound.rights.example:${listener.port}`)).resolves.toEqual({ ok: true });
    answer = ['127.0.0.1'];
    await expect(rebinding.connectSmtp({ host: 'rebound.rights.example', port: listener.port, secure: false }, false)).rejects.toBeInstanceOf(NonPublicAddressError);
    await expect(rebinding.connectSmtp({ host: '127.0.0.1', port: listener.port, secure: false }, false)).rejects.toBeInstanceOf(NonPublicAddressError);
    expect(listener.connections()).toBe(0);
  });

  it('connects an allow-listed server to the address the lookup gave, not to a second resolution', async () => {
    const rules = new OutboundRules({ lookup, allowList: [`smtp://relay.internal.example:${listener.port}`] });
    // relay.internal.example exists only in the fake resolver: reaching the canary proves the connection used its answer.
    const socket = await rules.connectSmtp({ host: 'relay.internal.example', port: listener.port, secure: false }, true);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
    expect(listener.connections()).toBe(1);
  });
});

describe('OutboundRules: push endpoints', () => {
  const rules = new OutboundRules({ lookup, localPushOrigin: 'http://127.0.0.1:8090/', allowList: ['https://relay.internal.example:8443'] });

  it('takes https on 443 to public hosts, the local push service and allow-listed origins only', async () => {
    await expect(rules.checkPushEndpoint('https://mail.rights.example/wpush/abc')).resolves.toEqual({ ok: true });
    await expect(rules.checkPushEndpoint('http://127.0.0.1:8090/push/abc')).resolves.toEqual({ ok: true });
    await expect(rules.checkPushEndpoint('https://relay.internal.example:8443/abc')).resolves.toEqual({ ok: true });
    await expect(rules.checkPushEndpoint('https://mail.rights.example:8443/abc')).resolves.toMatchObject({ ok: false, reason: expect.stringContaining('port 443') });
    await expect(rules.checkPushEndpoint('https://relay.internal.example/abc')).resolves.toMatchObject({ ok: false, reason: expect.stringContaining('non-public') });
    expect(rules.allowsPushOrigin('https://relay.internal.example:8443')).toBe(true);
    expect(rules.allowsPushOrigin('http://127.0.0.1:8090')).toBe(false);
  });

  it('gives sockets only checked public addresses, in the shape they ask for', async () => {
    const ask = (host: string, options: { all?: boolean; family?: number }) =>
      new Promise<{ error: unknown; address: unknown; family?: number }>((resolve) =>
        rules.publicLookup(host, options, (error, address, family) => resolve({ error, address, family })),
      );
    expect((await ask('rebound.rights.example', {})).error).toBeInstanceOf(NonPublicAddressError);
    expect((await ask('mixed.rights.example', { all: true })).error).toBeInstanceOf(NonPublicAddressError);
    expect(await ask('mail.rights.example', {})).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect(await ask('mail.rights.example', { family: 6 })).toEqual({ error: null, address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 });
    const all = (await ask('mail.rights.example', { all: true })).address as LookupAddress[];
    expect(all).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });
});

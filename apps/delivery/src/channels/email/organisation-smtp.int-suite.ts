import { SmtpSink } from '@clarion/sinks';
import { startCanary, type Canary } from '@clarion/testing';
import { DeliveryTestBed } from '../../test/delivery-test-bed';

/**
 * An organisation's own SMTP server as delivery meets it: subscriptions
 * checked the URL when it was set, but a name can point elsewhere by the
 * time delivery connects (DNS rebinding), and URLs stored before the checks
 * existed were never checked at all. Delivery checks again on every
 * connection, with the resolver replaced by one the test controls.
 */
describe('delivery: an organisation’s SMTP server, checked again when connecting', () => {
  let bed: DeliveryTestBed;
  let canary: Canary;
  let relaySink: SmtpSink;
  /** What each name resolves to now. */
  const dns = new Map<string, string[]>();

  beforeAll(async () => {
    canary = await startCanary();
    relaySink = await SmtpSink.start();
    bed = await DeliveryTestBed.start(
      'delivery_org_smtp',
      {
        // The canary's port counts as an SMTP port here, so the address rule alone has to keep delivery away from it.
        SMTP_PORTS: `25,465,587,2525,${canary.port}`,
        OUTBOUND_ALLOW_LIST: `smtp://relay.inside-rights.example:${relaySink.smtpPort}`,
        RETRY_BACKOFF_MS: '20',
        SENDER_IDENTITY_TTL_MS: '0',
      },
      {
        lookup: async (host) => {
          const found = dns.get(host);
          if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
          return found;
        },
      },
    );
  });
  afterAll(async () => {
    await bed?.stop();
    await Promise.all([canary?.close(), relaySink?.stop()]);
  });

  /** One email to one supporter of an organisation sending through `url`; its ledger record once settled. */
  async function sendThrough(url: string) {
    const { orgId } = bed.organisation({ smtp: { url, from: 'alerts@rights.example' } });
    const relay = bed.relay(orgId, { channels: ['email'] });
    const supporter = bed.supporter('rebound', 'en', { email: true });
    await bed.publishBatch(bed.batch(relay, [supporter]));
    const [record] = await bed.settledLedger(relay.relayId, 1);
    return { record, email: supporter.contacts.email! };
  }

  it('refuses a name that resolved to a public address when it was set and resolves to loopback now: nothing connects', async () => {
    dns.set('mail.rebound-rights.example', ['127.0.0.1']);
    const { record, email } = await sendThrough(`smtp://mail.rebound-rights.example:${canary.port}`);
    expect(record).toMatchObject({ state: 'failed', lastError: expect.stringContaining('mail.rebound-rights.example resolves to a non-public address') });
    expect(canary.connections()).toBe(0);
    // Not sent through the network's server instead, either: the organisation asked for its own.
    expect(bed.smtp.messages().filter((m) => m.envelope.to.includes(email))).toEqual([]);
  });

  it('refuses stored URLs that were never checked: loopback, metadata, private names, other ports', async () => {
    dns.set('internal.rights.example', ['10.20.30.40', '93.184.216.34']);
    const cases: Array<[string, string]> = [
      [`smtp://127.0.0.1:${canary.port}`, '127.0.0.1 resolves to a non-public address'],
      ['smtp://169.254.169.254:25', '169.254.169.254 resolves to a non-public address'],
      ['smtp://internal.rights.example:25', 'internal.rights.example resolves to a non-public address'],
      ['smtp://mail.rights.example:4222', 'must be on an SMTP port (25, 465, 587, 2525'],
      ['smtp://mail.rights.example:25/?proxy=socks5://127.0.0.1:1080', 'must have no path or query'],
    ];
    for (const [url, reason] of cases) {
      const { record } = await sendThrough(url);
      expect({ url, record }).toEqual({ url, record: expect.objectContaining({ state: 'failed', lastError: expect.stringContaining(reason) }) });
    }
    expect(canary.connections()).toBe(0);
  });

  it('sends through an allow-listed relay on a private address, connecting to the address it checked', async () => {
    // The name exists only in the test's resolver: the mail arriving proves the connection used its answer.
    dns.set('relay.inside-rights.example', ['127.0.0.1']);
    const { record, email } = await sendThrough(`smtp://own-relay:${encodeURIComponent('pa$$ word')}@relay.inside-rights.example:${relaySink.smtpPort}`);
    expect(record.state).toBe('sent');
    const [message] = relaySink.messages().filter((m) => m.envelope.to.includes(email));
    expect(message.from).toEqual({ name: 'Amnesty Test Section', address: 'alerts@rights.example' });
  });
});

import { dkimVerify } from 'mailauth/lib/dkim/verify';
import type { Msg, NatsConnection } from 'nats';
import { SmtpSink, type SmtpSinkMessage } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { createOrg, type Org } from './support/directory-fixture';

const DOMAIN = 'rights.example';

/** A DNS that answers only the records given: what mailauth asks for the key. */
function resolverOf(records: Record<string, string>) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const txt = records[name.toLowerCase()];
    if (rrtype === 'TXT' && txt !== undefined) return [[txt]];
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

interface DkimRecord {
  selector: string;
  dnsName: string;
  txt: string;
}

/**
 * DKIM signing with an organisation's own key (docs/decisions/0030): Clarion
 * makes the key, the API shows the TXT record to publish, and a received
 * email verifies with mailauth (an independent verifier) against that record,
 * served by a resolver stub. Delivery runs with SENDER_IDENTITY_TTL_MS=0, so
 * a rotation applies to the next message.
 */
describe('DKIM signing', () => {
  let infra: TestInfra;
  let network: Network;
  let sink: SmtpSink;
  let admin: Api;
  let org: Org;
  let otherOrg: Org;
  const seen: Msg[] = [];
  let snoop: NatsConnection;
  const dkimPath = (o: Org) => `/organisations/${o.id}/sender/dkim`;

  beforeAll(async () => {
    infra = await startTestInfra();
    snoop = await infra.connectHarness();
    snoop.subscribe('>', { callback: (_error, msg) => seen.push(msg) });
    sink = await SmtpSink.start();
    network = await startNetwork(infra, {
      env: { delivery: { SMTP_URL: sink.smtpUrl, MAIL_FROM: `alerts@${DOMAIN}`, SENDER_IDENTITY_TTL_MS: '0' } },
    });
    admin = new Api(network.gatewayUrl, network.adminToken);
    [org, otherOrg] = await Promise.all([createOrg(admin, 'Signed Rights'), createOrg(admin, 'Other Rights')]);
  });

  afterAll(async () => {
    await snoop?.close();
    await network?.stopAll();
    await sink?.stop();
    await infra?.stop();
  });

  /** A confirmation email: sent in the organisation's name, through the same sending path as alerts. */
  async function emailTo(email: string): Promise<SmtpSinkMessage> {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
    return eventually(`email to ${email}`, async () => sink.messages().find((m) => m.to.includes(email)), 15_000);
  }

  const verify = async (message: SmtpSinkMessage, records: DkimRecord[]) =>
    (await dkimVerify(Buffer.from(message.source), { resolver: resolverOf(Object.fromEntries(records.map((r) => [r.dnsName, r.txt]))) })).results;

  it('sends unsigned mail before a key is made', async () => {
    expect(expectStatus(await org.admin.get(dkimPath(org)), 200).body).toEqual({ orgId: org.id, dkim: null });
    const message = await emailTo('before@example.org');
    expect(message.headers['dkim-signature']).toBeUndefined();
  });

  let first: DkimRecord;

  it('makes a key and shows the DNS record to publish; a received email verifies against it with mailauth', async () => {
    const made = expectStatus(await org.admin.post(dkimPath(org), { domain: DOMAIN.toUpperCase() }), 201).body;
    expect(made).toMatchObject({ orgId: org.id, dkim: { domain: DOMAIN, algorithm: 'rsa-sha256' } });
    first = made.dkim.current;
    expect(first.dnsName).toBe(`${first.selector}._domainkey.${DOMAIN}`);
    expect(first.txt).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    expect(made.dkim.previous).toBeUndefined();
    expect(expectStatus(await org.admin.get(dkimPath(org)), 200).body).toEqual(made);

    const message = await emailTo('signed@example.org');
    expect(message.headers['dkim-signature']).toContain(`s=${first.selector}`);
    const results = await verify(message, [first]);
    expect(results).toEqual([expect.objectContaining({ signingDomain: DOMAIN, selector: first.selector, status: expect.objectContaining({ result: 'pass' }) })]);

    // The same message altered in transit does not verify: mailauth answers neutral, "body hash did not verify".
    const altered = { ...message, source: message.source.replace(/Confirm/g, 'Confirn') };
    expect((await verify(altered, [first]))[0].status).toMatchObject({ result: 'neutral', comment: expect.stringMatching(/body hash did not verify/) });
  });

  it('rotates by selector: the next email is signed with the new key, and the old record is listed as previous', async () => {
    const rotated = expectStatus(await org.admin.post(dkimPath(org), { domain: DOMAIN }), 201).body;
    const second: DkimRecord = rotated.dkim.current;
    expect(second.selector).not.toBe(first.selector);
    expect(second.txt).not.toBe(first.txt);
    expect(rotated.dkim.previous).toEqual(first);

    const message = await emailTo('rotated@example.org');
    expect((await verify(message, [second, first]))[0]).toMatchObject({ selector: second.selector, status: { result: 'pass' } });
    // Published under the new selector with the old key, it would not verify: the signature is the new key's.
    expect((await verify(message, [{ ...second, txt: first.txt }]))[0].status.result).toBe('fail');
  });

  it('lets only the organisation’s admins and the network admin see or change it', async () => {
    expectStatus(await org.editor.get(dkimPath(org)), 403);
    expectStatus(await org.editor.post(dkimPath(org), { domain: DOMAIN }), 403);
    expectStatus(await otherOrg.admin.get(dkimPath(org)), 404);
    expectStatus(await otherOrg.admin.post(dkimPath(org), { domain: 'attacker.example' }), 404);
    expectStatus(await otherOrg.admin.delete(dkimPath(org)), 404);
    expectStatus(await http('GET', `${network.gatewayUrl}/api/v1${dkimPath(org)}`), 401);
    expect(expectStatus(await admin.get(dkimPath(org)), 200).body.dkim.domain).toBe(DOMAIN);
  });

  it('refuses a domain that is not one with 400 naming domain', async () => {
    for (const domain of ['not a domain', 'localhost', 'example..org', '-bad.example', 'a'.repeat(64) + '.example', 'x.example/path']) {
      const own = await otherOrg.admin.post(dkimPath(otherOrg), { domain });
      expect({ domain, status: own.status, field: own.body.field }).toEqual({ domain, status: 400, field: 'domain' });
    }
    expectStatus(await otherOrg.admin.post(dkimPath(otherOrg), { domain: DOMAIN, extra: 1 }), 400);
  });

  it('never lets the private key cross the bus in clear', () => {
    const everything = seen.map((msg) => `${msg.subject} ${Buffer.from(msg.data).toString('utf8')}`).join('\n');
    expect(everything).not.toMatch(/PRIVATE KEY/);
    expect(everything).toMatch(/sender-dkim-create/);
  });

  it('stops signing when the key is dropped', async () => {
    expect(expectStatus(await org.admin.delete(dkimPath(org)), 200).body).toEqual({ orgId: org.id, dkim: null });
    const message = await emailTo('unsigned@example.org');
    expect(message.headers['dkim-signature']).toBeUndefined();
  });
});

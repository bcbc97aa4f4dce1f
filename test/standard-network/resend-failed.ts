import mongoose, { type Connection } from 'mongoose';
import { PushService, SmtpSink } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, joinAndFind, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { openProgressStream, type ProgressStream, type ProgressTotals } from '../support/progress-stream';
import { standardNetwork } from '../support/standard-network';

interface LedgerRecord {
  orgId: string;
  supporterId: string;
  channel: 'email' | 'push';
  state: string;
  attempts: number;
}

interface Member {
  org: Org;
  supporterId: string;
  channel: 'email' | 'push';
  /** The address, or the push service's subscription id. */
  key: string;
  /** Its provider refuses it (451 / 500) until the test lets it through. */
  failing: boolean;
}

/**
 * "Resend failed only", over HTTP with every service a process. Some
 * recipients' providers keep answering a temporary error (SMTP 451, push
 * 500) until their attempts run out and the ledger says failed. Then the
 * providers recover, and an organisation's editor resends its failed
 * deliveries (twice at once: a double click), then the coordinator resends
 * the rest of the alert. Every failed recipient gets the alert exactly once
 * more, nobody already reached gets it again, each organisation resends only
 * its own, and the live counters move from failed to sent.
 */
describe('resend failed only', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let ledgerDb: Connection;
  let progress: ProgressStream;
  let coalition: Coalition;
  let orgs: Org[];
  let alertId: string;
  const members: Member[] = [];
  /** Providers answer these with a temporary error until they are taken out. */
  const refused = net.refused;

  beforeAll(async () => {
    ({ network, smtp, push } = net);
    ledgerDb = await mongoose.createConnection(net.databaseUrl('delivery')).asPromise();
  }, 120_000);

  afterAll(async () => {
    progress?.close();
    await ledgerDb?.close();
  });

  // This suite's organisations only: the network's ledger also holds other suites' deliveries.
  const ledger = () => ledgerDb.collection<LedgerRecord>('deliveries').find({ orgId: { $in: orgs.map((org) => org.id) } }).toArray();
  const receivedBy = (member: Member) => (member.channel === 'email' ? smtp.messages().filter((m) => m.to[0] === member.key).length : push.messages(member.key).length);
  const receipts = () => members.map((member) => ({ key: member.key, received: receivedBy(member) }));
  const failedIn = (records: LedgerRecord[], org?: Org) => records.filter((r) => r.state === 'failed' && (!org || r.orgId === org.id)).length;

  async function settled(what: string, expectFailed: number): Promise<LedgerRecord[]> {
    return eventually(
      what,
      async () => {
        const records = await ledger();
        const open = records.some((r) => r.state === 'queued' || r.state === 'retry');
        return records.length === members.length && !open && failedIn(records) === expectFailed ? records : undefined;
      },
      30_000,
    );
  }

  it('marks failed what a provider kept refusing, and sent the rest once', async () => {
    const admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    orgs = await Promise.all([createOrg(admin, 'Resend Rights A'), createOrg(admin, 'Resend Rights B')]);
    for (const [o, org] of orgs.entries()) {
      await subscribe(coalition, org, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
      for (const [i, failing] of [false, false, true, true].entries()) {
        const address = `supporter-${o}-${i}@example.org`;
        members.push({ org, supporterId: await joinAndFind(network.gatewayUrl, org, { email: address, language: 'en' }), channel: 'email', key: address, failing });
      }
      for (const [i, failing] of [false, true].entries()) {
        const { id, subscription } = push.createSubscription(`supporter ${o}-${i}`);
        members.push({ org, supporterId: await joinAndFind(network.gatewayUrl, org, { push: subscription, language: 'en' }), channel: 'push', key: id, failing });
      }
    }
    // Email supporters who joined on the page are active once they confirm through the link they were sent.
    for (const member of members.filter((m) => m.channel === 'email')) {
      const confirmation = await eventually(`confirmation to ${member.key}`, async () => smtp.messages().find((m) => m.to.includes(member.key)), 10_000);
      const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
      expect(confirmUrl).toBeDefined();
      expectStatus(await http('GET', confirmUrl!), 200);
    }
    smtp.clear();
    for (const member of members) if (member.failing) refused.add(member.key);

    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    alertId = draft.id;
    progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, alertId);
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);

    const records = await settled('every delivery closed, the refused ones failed', 6);
    process.stdout.write(`[resend] after the publish: ${JSON.stringify(countStates(records))}\n`);
    expect(failedIn(records, orgs[0])).toBe(3);
    expect(failedIn(records, orgs[1])).toBe(3);
    for (const member of members) expect({ key: member.key, received: receivedBy(member) }).toEqual({ key: member.key, received: member.failing ? 0 : 1 });
    const totals = await progress.until((t) => sum(t, 'failed') === 6, 10_000);
    expect(sum(totals, 'sent')).toBe(members.length - 6);
  });

  it('resends one organisation’s failed deliveries once, however often its editor asks, and nobody else’s', async () => {
    refused.clear();
    const [org, other] = orgs;
    const path = `/organisations/${org.id}/alerts/${alertId}/resend-failed`;
    const [first, second] = await Promise.all([org.editor.post(path, {}), org.editor.post(path, {})]);
    expect(expectStatus(first, 200).body).toEqual({ alertId, relays: 1, deliveries: 3, supporters: 3 });
    expect(expectStatus(second, 200).body).toEqual({ alertId, relays: 1, deliveries: 3, supporters: 3 });
    expectStatus(await other.editor.post(path, {}), 403);

    const records = await settled("the organisation's failed deliveries sent", 3);
    // Anything sent twice would arrive within moments; give it that.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    process.stdout.write(`[resend] after the organisation's resend (asked twice at once): ${JSON.stringify(countStates(await ledger()))}\n`);
    expect(failedIn(records, org)).toBe(0);
    expect(failedIn(records, other)).toBe(3);
    for (const member of members) {
      const expected = member.org === other && member.failing ? 0 : 1;
      expect({ key: member.key, received: receivedBy(member) }).toEqual({ key: member.key, received: expected });
    }
  });

  it('resends the rest of the alert for the coordinator, then has nothing left to resend', async () => {
    const path = `/alerts/${alertId}/resend-failed`;
    // An organisation cannot even see the alert from the coalition's side.
    expectStatus(await orgs[0].editor.post(path, {}), 404);
    expect(expectStatus(await coalition.coordinator.post(path, {}), 200).body).toEqual({ alertId, relays: 1, deliveries: 3, supporters: 3 });
    const records = await settled('every failed delivery sent', 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(expectStatus(await coalition.coordinator.post(path, {}), 200).body).toEqual({ alertId, relays: 0, deliveries: 0, supporters: 0 });

    process.stdout.write(`[resend] after the coordinator's resend: ${JSON.stringify(countStates(records))}; receipts ${JSON.stringify(receipts())}\n`);
    expect(records.every((r) => r.state === 'sent')).toBe(true);
    for (const member of members) expect({ key: member.key, received: receivedBy(member) }).toEqual({ key: member.key, received: 1 });
    // Two attempts that failed, then one that went: the ledger keeps the count.
    for (const record of records) expect(record.attempts).toBe(members.find((m) => m.supporterId === record.supporterId)?.failing ? 3 : 1);
    const totals = await progress.until((t) => sum(t, 'sent') === members.length, 10_000);
    expect(sum(totals, 'failed')).toBe(0);
    expect(sum(totals, 'targeted')).toBe(members.length);
  });
});

function sum(totals: ProgressTotals, counter: 'targeted' | 'sent' | 'failed'): number {
  return totals.channels.email[counter] + totals.channels.push[counter];
}

function countStates(records: LedgerRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[`${record.channel} ${record.state}`] = (counts[`${record.channel} ${record.state}`] ?? 0) + 1;
  return counts;
}

import { execFileSync } from 'node:child_process';
import { CAP_1_2 } from '@dec112/cap-ts';
import mongoose, { type Connection } from 'mongoose';
import Parser from 'rss-parser';
import type { JetStreamManager, NatsConnection } from 'nats';
import { PushService, SmtpSink, type SmtpSinkMessage } from '@clarion/sinks';
import { http, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { storedMessages } from '../support/streams';
import { alertInput, createCoalition, createOrg, joinAndFind, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

const INTRO = 'Review Rights stands with the KHRC.';

interface LedgerRecord {
  relayId: string;
  supporterId: string;
  channel: 'email' | 'push';
  state: string;
  followUp?: string;
}

interface Member {
  org: Org;
  channel: 'email' | 'push';
  /** The address, or the push service's subscription id. */
  key: string;
  /** The original reached them; false for those whose provider refused it until it failed, and for the late joiner. */
  reached: boolean;
}

/**
 * The whole life of an alert, over HTTP with every service a process: it is
 * published, corrected, then cancelled. Each supporter the original reached
 * gets exactly the original, one update threaded to it (email In-Reply-To /
 * References; push under the original's Topic), and one retraction; the
 * review organisation's own intro carries over to the update. Supporters the
 * original never reached (their provider refused until the ledger gave up,
 * and one who joined after the publish) get nothing, though their providers
 * accept mail again by then.
 */
describe('an alert corrected and cancelled reaches those it reached', () => {
  const net = standardNetwork();
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let ledgerDb: Connection;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let coalition: Coalition;
  let autoOrg: Org;
  let reviewOrg: Org;
  let alertId = '';
  const members: Member[] = [];
  const refused = net.refused;
  /** The coalition's CAP feed token, issued when the coordinator protects the feed. */
  let capToken = '';
  /** Each reached email supporter's original, by address: the Message-ID the follow-ups must thread to. */
  const originalEmails = new Map<string, SmtpSinkMessage>();

  beforeAll(async () => {
    ({ infra, network, smtp, push } = net);
    ledgerDb = await mongoose.createConnection(net.databaseUrl('delivery')).asPromise();
    nc = await infra.connectHarness();
    jsm = await nc.jetstreamManager();
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await ledgerDb?.close();
  });

  // This suite's organisations only: the network's ledger also holds other suites' deliveries.
  const ledger = () => ledgerDb.collection<LedgerRecord>('deliveries').find({ orgId: { $in: [autoOrg.id, reviewOrg.id] } }).toArray();
  const emailsTo = (address: string) => smtp.messages().filter((m) => m.to[0] === address);
  const pushesTo = (id: string) => push.messages(id);
  const received = (member: Member) => (member.channel === 'email' ? emailsTo(member.key).length : pushesTo(member.key).length);

  async function join(org: Org, channel: 'email' | 'push', label: string, reached: boolean): Promise<Member> {
    if (channel === 'push') {
      const { id, subscription } = push.createSubscription(label);
      await joinAndFind(network.gatewayUrl, org, { push: subscription, language: 'en' });
      return { org, channel, key: id, reached };
    }
    await joinAndFind(network.gatewayUrl, org, { email: label, language: 'en' });
    const confirmation = await eventually(`confirmation to ${label}`, async () => smtp.messages().find((m) => m.to.includes(label)), 10_000);
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expectStatus(await http('GET', confirmUrl!), 200);
    return { org, channel, key: label, reached };
  }

  /** The alert's CAP document as the gateway serves it, checked well-formed by xmllint and decoded by an independent CAP 1.2 implementation. */
  async function capDocument(id: string, token = capToken, coalitionId = coalition.id): Promise<CAP_1_2.Alert> {
    const res = await http('GET', `${network.gatewayUrl}/cap/${coalitionId}/alerts/${id}.xml?token=${token}`);
    expectStatus(res, 200);
    expect(res.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    execFileSync('xmllint', ['--noout', '-'], { input: res.body as string });
    const alert = await CAP_1_2.Alert.fromXML(res.body as string);
    expect(alert.validate()).toBeUndefined();
    return alert;
  }

  /** Waits until every reached member has `count` messages, then a moment for anything sent twice or to the wrong person. */
  async function everyReachedHas(count: number, what: string): Promise<void> {
    await eventually(what, async () => members.every((m) => !m.reached || received(m) >= count) || undefined, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const member of members) expect({ key: member.key, received: received(member) }).toEqual({ key: member.key, received: member.reached ? count : 0 });
  }

  it('publishes: the original reaches those whose providers accept it', async () => {
    const admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    [autoOrg, reviewOrg] = await Promise.all([createOrg(admin, 'Lifecycle Auto'), createOrg(admin, 'Lifecycle Review')]);
    await subscribe(coalition, autoOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, reviewOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } });
    for (const [o, org] of [autoOrg, reviewOrg].entries()) {
      members.push(await join(org, 'email', `reached-${o}-a@example.org`, true));
      members.push(await join(org, 'email', `reached-${o}-b@example.org`, true));
      members.push(await join(org, 'email', `refused-${o}@example.org`, false));
      members.push(await join(org, 'push', `reached push ${o}`, true));
      members.push(await join(org, 'push', `refused push ${o}`, false));
    }
    smtp.clear();
    for (const member of members) if (!member.reached) refused.add(member.key);

    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    alertId = draft.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);
    const pending = await eventually('review relay', async () => {
      const relays = expectStatus(await reviewOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`), 200).body;
      return relays.find((r: { alertId: string }) => r.alertId === alertId);
    });
    expectStatus(await reviewOrg.editor.post(`/organisations/${reviewOrg.id}/relays/${pending.id}/approve`, { intro: INTRO }), 200);

    // Every original closed: sent to the reached, failed for the refused.
    const records = await eventually(
      'every original closed',
      async () => {
        const found = (await ledger()).filter((r) => !r.followUp);
        return found.length === members.length && found.every((r) => r.state === 'sent' || r.state === 'failed') ? found : undefined;
      },
      30_000,
    );
    expect(records.filter((r) => r.state === 'failed')).toHaveLength(members.filter((m) => !m.reached).length);
    await everyReachedHas(1, 'the original to everyone reached');
    for (const member of members) if (member.channel === 'email' && member.reached) originalEmails.set(member.key, emailsTo(member.key)[0]);
    for (const original of originalEmails.values()) expect(original.headers['message-id']).toMatch(/^<[0-9a-f]{24}@[^>]+>$/);
    // The coalition's CAP feed is token-protected unless made public; the coordinator protects it and gets its token.
    capToken = expectStatus(await coalition.coordinator.call('PUT', `/coalitions/${coalition.id}/cap-feed`, { access: 'token' }), 200).body.token;
    const cap = await capDocument(alertId);
    expect(cap.msgType).toBe(CAP_1_2.Alert_msgType.alert);
    expect(cap.identifier).toBe(`clarion-${alertId}-v1`);
    expect(cap.references).toBeUndefined();
    // The refused recover, and someone joins after the publish: a follow-up to any of them would now arrive.
    refused.clear();
    members.push(await join(autoOrg, 'email', 'late-joiner@example.org', false));
    // From here the sink holds only follow-ups (the originals are kept above; the late joiner's confirmation goes too).
    smtp.clear();
  });

  it('corrects: an update threaded to the original, under its Topic, with the organisation’s intro', async () => {
    const originalsByPush = new Map(members.filter((m) => m.channel === 'push' && m.reached).map((m) => [m.key, pushesTo(m.key)[0]]));
    const corrected = alertInput({
      topics: [],
      regions: [],
    }).texts as Record<string, { title: string; body: string; ctaLabel: string }>;
    corrected.en = { ...corrected.en, title: 'Corrected: stand with the KHRC', body: 'The government froze its accounts **yesterday**.' };
    expectStatus(await coalition.coordinator.patch(`/alerts/${alertId}`, { texts: corrected }), 200);

    await eventually('an update to every reached supporter', async () =>
      members.every((m) => !m.reached || (m.channel === 'email' ? emailsTo(m.key).length >= 1 : pushesTo(m.key).length >= 2)) || undefined,
    30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    for (const member of members) {
      if (member.channel === 'email') {
        const mails = emailsTo(member.key);
        expect({ key: member.key, updates: mails.length }).toEqual({ key: member.key, updates: member.reached ? 1 : 0 });
        if (!member.reached) continue;
        const [update] = mails;
        expect(update.subject).toBe('Update: Corrected: stand with the KHRC');
        expect(update.text).toContain('yesterday');
        const original = originalEmails.get(member.key)!.headers['message-id'];
        expect(update.headers['in-reply-to']).toBe(original);
        expect(update.headers.references).toBe(original);
        expect(update.headers['message-id']).toMatch(/^<[0-9a-f]{24}@[^>]+>$/);
        expect(update.headers['message-id']).not.toBe(original);
        if (member.org === reviewOrg) expect(update.text).toContain(INTRO);
        else expect(update.text).not.toContain(INTRO);
      } else {
        const pushes = pushesTo(member.key);
        expect({ key: member.key, pushes: pushes.length }).toEqual({ key: member.key, pushes: member.reached ? 2 : 0 });
        if (!member.reached) continue;
        const [original, update] = pushes;
        expect(original).toEqual(originalsByPush.get(member.key));
        expect(original.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
        expect(update.topic).toBe(original.topic);
        const json = update.json as { title: string; followUp: string; replaces: string };
        expect(json).toMatchObject({ title: 'Update: Corrected: stand with the KHRC', followUp: 'update', replaces: (original.json as { deliveryId: string }).deliveryId });
      }
    }

    const cap = await capDocument(alertId);
    expect(cap.msgType).toBe(CAP_1_2.Alert_msgType.update);
    expect(cap.identifier).toBe(`clarion-${alertId}-v2`);
    expect(cap.references?.split(' ').map((ref) => ref.split(',')[1])).toEqual([`clarion-${alertId}-v1`]);
    expect(cap.info_list[0].headline).toBe('Corrected: stand with the KHRC');
  });

  it('cancels: one short retraction to each reached supporter, threaded and under the same Topic; nothing to the others', async () => {
    const updatesByEmail = new Map(members.filter((m) => m.channel === 'email' && m.reached).map((m) => [m.key, emailsTo(m.key)[0]]));
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/cancel`, { reason: 'The accounts were unfrozen this morning.' }), 200);

    await eventually('a retraction to every reached supporter', async () =>
      members.every((m) => !m.reached || (m.channel === 'email' ? emailsTo(m.key).length >= 2 : pushesTo(m.key).length >= 3)) || undefined,
    30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    for (const member of members) {
      if (member.channel === 'email') {
        const mails = emailsTo(member.key);
        expect({ key: member.key, mails: mails.length }).toEqual({ key: member.key, mails: member.reached ? 2 : 0 });
        if (!member.reached) continue;
        const retraction = mails[1];
        expect(retraction.subject).toBe('Withdrawn: Corrected: stand with the KHRC');
        expect(retraction.text).toContain('has withdrawn this call to action');
        expect(retraction.text).toContain('The accounts were unfrozen this morning.');
        const original = originalEmails.get(member.key)!.headers['message-id'];
        expect(retraction.headers['in-reply-to']).toBe(original);
        expect(retraction.headers.references).toBe(original);
        expect(retraction.headers['message-id']).not.toBe(updatesByEmail.get(member.key)!.headers['message-id']);
      } else {
        const pushes = pushesTo(member.key);
        expect({ key: member.key, pushes: pushes.length }).toEqual({ key: member.key, pushes: member.reached ? 3 : 0 });
        if (!member.reached) continue;
        const [original, , retraction] = pushes;
        expect(retraction.topic).toBe(original.topic);
        expect(retraction.json).toMatchObject({ followUp: 'retraction', replaces: (original.json as { deliveryId: string }).deliveryId });
      }
    }

    // The ledger: one update and one retraction per reached supporter and channel, all sent, none for anyone else.
    const followUps = (await ledger()).filter((r) => r.followUp);
    const reachedCount = members.filter((m) => m.reached).length;
    expect(followUps.filter((r) => r.followUp === 'update-v2' && r.state === 'sent')).toHaveLength(reachedCount);
    expect(followUps.filter((r) => r.followUp === 'retraction' && r.state === 'sent')).toHaveLength(reachedCount);
    expect(followUps).toHaveLength(2 * reachedCount);

    const cap = await capDocument(alertId);
    expect(cap.msgType).toBe(CAP_1_2.Alert_msgType.cancel);
    expect(cap.references?.split(' ').map((ref) => ref.split(',')[1])).toEqual([`clarion-${alertId}-v1`, `clarion-${alertId}-v2`]);
    // The feed still lists the alert, as its Cancel, so feed readers learn of the withdrawal.
    const res = expectStatus(await http('GET', `${network.gatewayUrl}/cap/${coalition.id}/alerts.atom`, { token: capToken }), 200);
    execFileSync('xmllint', ['--noout', '-'], { input: res.body as string });
    const feed = await new Parser().parseString(res.body as string);
    expect(feed.items.map((item) => item.title)).toEqual(['Cancelled: Corrected: stand with the KHRC']);
    expect(feed.items[0].link).toContain(`/cap/${coalition.id}/alerts/${alertId}.xml?token=`);
  });

  it('refuses the CAP feed to those without its token, and shows no other coalition’s alert', async () => {
    const feedPath = `${network.gatewayUrl}/cap/${coalition.id}/alerts.atom`;
    const docPath = `${network.gatewayUrl}/cap/${coalition.id}/alerts/${alertId}.xml`;
    expectStatus(await http('GET', feedPath), 401);
    expectStatus(await http('GET', docPath), 401);
    expectStatus(await http('GET', `${feedPath}?token=capf_${'A'.repeat(32)}`), 401);
    expectStatus(await http('GET', docPath, { token: `capf_${'B'.repeat(32)}` }), 401);
    // A malformed token is no token; an API bearer token is not a feed token.
    expectStatus(await http('GET', `${feedPath}?token=${encodeURIComponent('x\' OR 1=1')}`), 401);
    expectStatus(await http('GET', feedPath, { token: network.adminToken }), 401);
    // A member organisation may not change the coalition's feed, nor may another coalition's coordinator.
    const admin = new Api(network.gatewayUrl, network.adminToken);
    const other = await createCoalition(admin);
    expectStatus(await autoOrg.admin.call('PUT', `/coalitions/${coalition.id}/cap-feed`, { access: 'public' }), 403);
    expectStatus(await other.coordinator.call('PUT', `/coalitions/${coalition.id}/cap-feed`, { access: 'public' }), 403);
    expectStatus(await coalition.coordinator.call('PUT', `/coalitions/${coalition.id}/cap-feed`, { access: 'everyone' }), 400);

    // The other coalition's feed is public: readable without a token, but it does not show this coalition's alert.
    expectStatus(await other.coordinator.call('PUT', `/coalitions/${other.id}/cap-feed`, { access: 'public' }), 200);
    const otherFeed = expectStatus(await http('GET', `${network.gatewayUrl}/cap/${other.id}/alerts.atom`), 200);
    expect((await new Parser().parseString(otherFeed.body as string)).items).toEqual([]);
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/${other.id}/alerts/${alertId}.xml`), 404);
    // This coalition's token opens nothing of the other's protected feed either.
    expectStatus(await other.coordinator.call('PUT', `/coalitions/${other.id}/cap-feed`, { access: 'token' }), 200);
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/${other.id}/alerts.atom?token=${capToken}`), 401);
    // Unknown coalition, malformed ids and names.
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/64b000000000000000000fff/alerts.atom`), 404);
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/not-an-id/alerts.atom`), 404);
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/${coalition.id}/alerts/${alertId}.json?token=${capToken}`), 404);
    // A draft never went out: not in CAP, whoever asks.
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body;
    expectStatus(await http('GET', `${network.gatewayUrl}/cap/${coalition.id}/alerts/${draft.id}.xml?token=${capToken}`), 404);
    // Rotating the token retires the old one.
    const rotated = expectStatus(await coalition.coordinator.call('PUT', `/coalitions/${coalition.id}/cap-feed`, { access: 'token' }), 200).body.token;
    expect(rotated).not.toBe(capToken);
    expectStatus(await http('GET', `${feedPath}?token=${capToken}`), 401);
    capToken = rotated;
    expectStatus(await http('GET', `${feedPath}?token=${capToken}`), 200);
  });

  it('withdraws silently when the coordinator says so: the original, then nothing', async () => {
    smtp.clear();
    const autoEmails = members.filter((m) => m.org === autoOrg && m.channel === 'email');
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`, {}), 200);
    await eventually('the second alert to the auto organisation', async () => autoEmails.every((m) => emailsTo(m.key).length === 1) || undefined, 30_000);
    expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/cancel`, { notifySupporters: false }), 200);
    // The follow-up consumer has acknowledged everything the ALERTS stream holds, the silent cancellation included.
    await eventually(
      'the silent cancellation handled',
      async () => {
        const [stream, consumer] = await Promise.all([jsm.streams.info('ALERTS'), jsm.consumers.info('ALERTS', 'subscriptions-follow-ups-cancelled')]);
        const cancelled = (await storedMessages(jsm, 'ALERTS', 'alerts.alert.cancelled.v1')).at(-1);
        return cancelled && consumer.ack_floor.stream_seq >= cancelled.seq && stream.state.last_seq >= cancelled.seq && consumer.num_pending === 0 && consumer.num_ack_pending === 0 ? true : undefined;
      },
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const member of autoEmails) expect({ key: member.key, mails: emailsTo(member.key).map((m) => m.subject) }).toEqual({ key: member.key, mails: [alertInput().texts.en.title] });
    const retractionBatches = await storedMessages(jsm, 'DELIVERY_BATCHES', 'delivery.batch.v2.*');
    expect(retractionBatches.filter((b) => b.subject.includes(':retraction:') && JSON.stringify(b.json).includes(draft.id))).toEqual([]);
  });
});


import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AckPolicy, type Consumer } from 'nats';
import {
  consumerFilterFor,
  deliveryBatchV1,
  eventSubjects,
  relayRpc,
  supporterRpc,
  type AlertSnapshot,
  type DeliveryBatch,
  type EventPayload,
  type Principal,
} from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { alertSnapshot, eventually, hex24, startHarness, streamMessages, type MembershipRequest, type SubscriptionsHarness } from '../test/subscriptions-harness';
import { contactKeyOf, endpointHashOf, Supporter } from '../supporters/supporter.schema';
import { FanOut } from './fan-out.schema';

const AUTO: MembershipRequest = { filters: { topics: [], regions: [], languages: [] }, channels: ['email', 'push'], relayPolicy: { mode: 'auto' } };
const REVIEW: MembershipRequest = { ...AUTO, relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } };
/** FAN_OUT_BATCH_SIZE's default, which the harness keeps. */
const BATCH_SIZE = 500;
const KEYS = { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' };

type RelayApproved = EventPayload<typeof eventSubjects.relayApproved>;

describe('subscriptions: fan-out', () => {
  let h: SubscriptionsHarness;
  let publisher: EventPublisher;
  let supporters: Model<Supporter>;
  let fanOuts: Model<FanOut>;
  let batches: Consumer;

  beforeAll(async () => {
    h = await startHarness();
    publisher = new EventPublisher(h.nc.jetstream());
    supporters = h.app.get(getModelToken(Supporter.name));
    fanOuts = h.app.get(getModelToken(FanOut.name));
    // Plays the delivery workers: takes the batches.
    const jsm = await h.nc.jetstreamManager();
    await jsm.consumers.add('DELIVERY_BATCHES', {
      durable_name: 'test-delivery-batches',
      filter_subject: consumerFilterFor(eventSubjects.deliveryBatch),
      ack_policy: AckPolicy.Explicit,
    });
    batches = await h.nc.jetstream().consumers.get('DELIVERY_BATCHES', 'test-delivery-batches');
  });
  afterAll(async () => h?.stop());

  /** Every batch not taken yet, acknowledged as a worker would. */
  async function takeBatches(): Promise<DeliveryBatch[]> {
    const taken: DeliveryBatch[] = [];
    for (;;) {
      const messages = await batches.fetch({ max_messages: 100, expires: 1_000 });
      let got = 0;
      for await (const message of messages) {
        taken.push(deliveryBatchV1.parse(message.json()));
        message.ack();
        got++;
      }
      if (got === 0) return taken;
    }
  }

  async function memberOrganisation(membership = AUTO): Promise<{ orgId: string; slug: string; coalitionId: string; admin: Principal }> {
    const coalition = await h.directory.coalition();
    const org = await h.directory.organisation();
    const admin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    await h.directory.join(coalition.id, org.id, admin, membership);
    return { orgId: org.id, slug: org.slug, coalitionId: coalition.id, admin };
  }

  /** The relayApproved the relays feature stored for this organisation's relay of the alert. */
  const approvalOf = (orgId: string, alertId: string) =>
    eventually(async () => {
      const stored = await streamMessages(h.nc, 'RELAYS');
      return stored.find((event) => event.subject === eventSubjects.relayApproved && event.payload.orgId === orgId && event.payload.alertId === alertId)
        ?.payload as RelayApproved | undefined;
    });

  /** Publishes the approval again under a new message id (as after the duplicate window) and waits until fan-out acknowledged it. */
  async function redeliver(approved: RelayApproved): Promise<void> {
    const ack = await publisher.publish(eventSubjects.relayApproved, approved, { msgId: `${approved.eventId}:again:${hex24()}` });
    const jsm = await h.nc.jetstreamManager();
    await eventually(async () => ((await jsm.consumers.info('RELAYS', 'subscriptions-fan-out')).ack_floor.stream_seq >= ack.seq! ? true : undefined));
  }

  /**
   * 1,200 supporters with mixed channels, all wanting everything, plus a few
   * that must not be reached. Returns which channels each reachable one should get.
   */
  async function seedAudience(orgId: string): Promise<Map<string, { email: boolean; push: boolean }>> {
    const docs: (Pick<Supporter, 'orgId' | 'language' | 'topics'> & Partial<Supporter>)[] = [];
    const person = (i: number, channels: { email?: 'pending' | 'active' | 'unsubscribed'; push?: 'active' | 'unsubscribed' }, topics: string[] = []) => {
      const email = `p${i}@example.org`;
      const endpoint = `https://push.example.org/wpush/${orgId}/${i}`;
      const endpointHash = endpointHashOf(endpoint);
      docs.push({
        orgId,
        language: i % 2 ? 'en' : 'sw',
        topics,
        contacts: {
          ...(channels.email ? { email: { address: email, state: channels.email } } : {}),
          ...(channels.push ? { push: { address: { endpoint, keys: KEYS, endpointHash }, state: channels.push } } : {}),
        },
        ...(channels.email ? { emailKey: contactKeyOf(orgId, 'email', email) } : {}),
        ...(channels.push ? { endpointKey: contactKeyOf(orgId, 'push', { endpoint, keys: KEYS, endpointHash }) } : {}),
      });
    };
    for (let i = 0; i < 1_200; i++) {
      if (i % 3 === 0) person(i, { email: 'active' });
      else if (i % 3 === 1) person(i, { push: 'active' });
      else person(i, { email: 'active', push: 'active' }, i % 10 === 2 ? ['civic-space', 'climate'] : []);
    }
    person(2_000, { email: 'unsubscribed' });
    person(2_001, { email: 'active', push: 'active' }, ['climate']);
    person(2_002, { email: 'pending', push: 'unsubscribed' });
    person(2_003, { email: 'unsubscribed', push: 'active' });
    const inserted = await supporters.insertMany(docs);
    const expected = new Map<string, { email: boolean; push: boolean }>();
    for (const supporter of inserted) {
      const matches = supporter.topics.length === 0 || supporter.topics.includes('civic-space');
      const email = supporter.contacts?.email?.state === 'active';
      const push = supporter.contacts?.push?.state === 'active';
      if (matches && (email || push)) expected.set(supporter._id.toHexString(), { email, push });
    }
    return expected;
  }

  it('streams exactly the eligible supporters once, in batches of at most FAN_OUT_BATCH_SIZE, and never again on redelivery', async () => {
    const { orgId, coalitionId } = await memberOrganisation();
    const expected = await seedAudience(orgId);
    const elsewhere = await memberOrganisation();
    await seedAudience(elsewhere.orgId);
    expect(expected.size).toBe(1_201);

    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    const approved = await approvalOf(orgId, alert.alertId);

    const received: DeliveryBatch[] = [];
    await eventually(async () => {
      received.push(...(await takeBatches()));
      return received.reduce((sum, batch) => sum + batch.recipients.length, 0) >= expected.size ? true : undefined;
    }, 30_000);

    expect(received.map((batch) => batch.recipients.length)).toEqual([BATCH_SIZE, BATCH_SIZE, expected.size - 2 * BATCH_SIZE]);
    const seen = received.flatMap((batch) => batch.recipients);
    expect(new Set(seen.map((recipient) => recipient.supporterId)).size).toBe(seen.length);
    for (const recipient of seen) {
      const channels = expected.get(recipient.supporterId);
      expect({ id: recipient.supporterId, email: !!recipient.contacts.email, push: !!recipient.contacts.push }).toEqual({ id: recipient.supporterId, ...channels });
    }
    for (const batch of received) {
      expect(batch.eventId).toBe(`relay:${approved.relayId}:from:${batch.recipients[0].supporterId}`);
      expect(batch.relay).toMatchObject({ relayId: approved.relayId, orgId, alertId: alert.alertId, alertVersion: 1, ctaUrl: alert.ctaUrl, channels: ['email', 'push'] });
    }
    const checkpoint = await fanOuts.findOne({ relayId: approved.relayId }).lean().orFail();
    expect(checkpoint).toMatchObject({ done: true, batches: 3, recipients: expected.size });

    // Redelivered after it finished: the checkpoint says done, nothing is published.
    const jsm = await h.nc.jetstreamManager();
    const storedBefore = (await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq;
    await redeliver(approved);
    expect((await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq).toBe(storedBefore);

    // Cut short after its first batch: it resumes there, and the stream refuses the batches it holds already.
    const firstBatch = received[0].recipients;
    await fanOuts.updateOne(
      { relayId: approved.relayId },
      { $set: { done: false, batches: 1, recipients: firstBatch.length, lastSupporterId: firstBatch[firstBatch.length - 1].supporterId } },
    );
    await redeliver(approved);
    expect((await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq).toBe(storedBefore);
    expect(await fanOuts.findOne({ relayId: approved.relayId }).lean().orFail()).toMatchObject({ done: true, batches: 3, recipients: expected.size });
    expect(await takeBatches()).toEqual([]);
  }, 60_000);

  it('carries the intro and call to action an editor approved with, and sends nothing for an alert that has expired', async () => {
    const { orgId, coalitionId, admin } = await memberOrganisation(REVIEW);
    const editor = await h.directory.actor({ role: 'org_editor', orgId });
    const [person] = await supporters.insertMany([{ orgId, language: 'en', topics: [], contacts: { email: { address: 'x@example.org', state: 'active' } }, emailKey: contactKeyOf(orgId, 'email', 'x@example.org') }]);
    const approve = async (alert: AlertSnapshot, input: object) => {
      await h.publishAlert(alert);
      const pending = await eventually(async () => (await h.rpc.request(relayRpc.list, { actor: admin, orgId })).find((relay) => relay.alertId === alert.alertId));
      await h.rpc.request(relayRpc.approve, { actor: editor, orgId, relayId: pending.id, input });
      return approvalOf(orgId, alert.alertId);
    };

    await redeliver(await approve(alertSnapshot(coalitionId, { expiresAt: new Date(Date.now() - 60_000).toISOString() }), {}));
    expect(await takeBatches()).toEqual([]);

    await approve(alertSnapshot(coalitionId), { intro: 'Our members in Nairobi need you.', ctaUrl: 'https://org.example.org/act' });
    const [batch] = await eventually(async () => {
      const taken = await takeBatches();
      return taken.length ? taken : undefined;
    });
    expect(batch.relay).toMatchObject({ intro: 'Our members in Nairobi need you.', ctaUrl: 'https://org.example.org/act' });
    expect(batch.recipients).toEqual([{ supporterId: person._id.toHexString(), language: 'en', contacts: { email: 'x@example.org' } }]);
  }, 60_000);

  it('sends nothing by SMS to an imported number until its owner confirms it with the code a join texts', async () => {
    const { orgId, slug, coalitionId, admin } = await memberOrganisation({ ...AUTO, channels: ['email', 'sms'] });
    const csv = [
      'email,language,topics,consent_at,consent_source,phone',
      'both@example.org,en,,2025-03-01,fair,06 12 34 56 78',
      ',en,,2025-03-01,fair,+33 6 98 76 54 32',
    ].join('\n');
    const sms = { defaultRegion: 'FR', allowedRegions: [] };
    await expect(h.rpc.request(supporterRpc.importCsv, { actor: admin, orgId, csv, sms })).resolves.toEqual({ imported: 2, skipped: [] });
    const both = await supporters.findOne({ orgId, 'contacts.sms.address': '+33612345678' }).lean().orFail();
    const phoneOnly = await supporters.findOne({ orgId, 'contacts.sms.address': '+33698765432' }).lean().orFail();
    expect(both.contacts).toEqual({ email: { address: 'both@example.org', state: 'active' }, sms: { address: '+33612345678', state: 'pending' } });
    expect(phoneOnly.contacts).toEqual({ sms: { address: '+33698765432', state: 'pending' } });
    const codesTexted = async () => (await streamMessages(h.nc, 'DELIVERY_JOBS')).filter((m) => m.subject === eventSubjects.optInCode && m.payload.orgId === orgId);
    expect(await codesTexted()).toEqual([]);

    const recipientsOf = async (alert: AlertSnapshot) => {
      await h.publishAlert(alert);
      await approvalOf(orgId, alert.alertId);
      return (await eventually(async () => {
        const taken = await takeBatches();
        return taken.length ? taken : undefined;
      })).flatMap((batch) => batch.recipients);
    };
    // The import's alert: the address has its email, neither number a text.
    expect(await recipientsOf(alertSnapshot(coalitionId))).toEqual([{ supporterId: both._id.toHexString(), language: 'en', contacts: { email: 'both@example.org' } }]);

    // Its owner joins with the number and types back the code texted to it: from then on it is sent to.
    const consent = { ip: '203.0.113.7', userAgent: 'Firefox/140', source: 'https://clarion.test/join' };
    await h.rpc.request(supporterRpc.join, { slug, input: { sms: '+33698765432', language: 'en' }, consent });
    const [code] = await eventually(async () => ((await codesTexted()).length ? codesTexted() : undefined));
    expect(code.payload).toMatchObject({ supporterId: phoneOnly._id.toHexString(), contact: '+33698765432' });
    await h.rpc.request(supporterRpc.confirmCode, { slug, channel: 'sms', contact: '+33698765432', code: String(code.payload.code), consent });
    const after = await recipientsOf(alertSnapshot(coalitionId));
    expect(after).toEqual(
      expect.arrayContaining([
        { supporterId: both._id.toHexString(), language: 'en', contacts: { email: 'both@example.org' } },
        { supporterId: phoneOnly._id.toHexString(), language: 'en', contacts: { sms: '+33698765432' } },
      ]),
    );
    expect(after).toHaveLength(2);
  }, 60_000);
});

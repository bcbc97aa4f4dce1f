import {
  eventSubjects,
  relayRpc,
  type EventSubject,
  type Principal,
  type RelayView,
} from '@clarion/contracts';
import { EventPublisher, ensureStreams, type Stored } from '@clarion/messaging';
import { alertSnapshot, eventually, hex24, startHarness, streamMessages, type MembershipRequest, type SubscriptionsHarness } from '../test/subscriptions-harness';

const AUTO: MembershipRequest = { filters: { topics: ['civic-space'], regions: [], languages: [] }, channels: ['email', 'push'], relayPolicy: { mode: 'auto' } };
const REVIEW: MembershipRequest = {
  filters: { topics: [], regions: ['KE', 'UG'], languages: ['en'] },
  channels: ['email'],
  relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' },
};
const ELSEWHERE: MembershipRequest = { filters: { topics: [], regions: ['FR'], languages: [] }, channels: ['push'], relayPolicy: { mode: 'auto' } };
const reviewWithin = (deadlineMinutes: number, onDeadline: 'approve' | 'drop'): MembershipRequest => ({
  channels: ['email'],
  filters: { topics: [], regions: [], languages: [] },
  relayPolicy: { mode: 'review', deadlineMinutes, onDeadline },
});

describe('subscriptions: relays', () => {
  let h: SubscriptionsHarness;
  let publisher: EventPublisher;
  beforeAll(async () => {
    h = await startHarness();
    publisher = new EventPublisher(h.nc.jetstream());
  });
  afterAll(async () => h?.stop());

  interface Member {
    orgId: string;
    admin: Principal;
    editor: Principal;
  }

  /** A fresh coalition with its coordinator, and one member organisation per settings given. */
  async function coalitionWith(...settings: MembershipRequest[]) {
    const coalition = await h.directory.coalition();
    const coordinator = await h.directory.actor({ role: 'coordinator', coalitionId: coalition.id });
    const members: Member[] = [];
    for (const membership of settings) {
      const org = await h.directory.organisation();
      const admin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
      const editor = await h.directory.actor({ role: 'org_editor', orgId: org.id });
      await h.directory.join(coalition.id, org.id, admin, membership);
      members.push({ orgId: org.id, admin, editor });
    }
    return { coalitionId: coalition.id, coordinator, members };
  }

  const relaysOf = (member: Member, status?: RelayView['status']) =>
    h.rpc.request(relayRpc.list, { actor: member.editor, orgId: member.orgId, ...(status ? { status } : {}) });

  /** The organisation's relay of this alert, once the consumer opened it (and, if given, once it has that status). */
  const relayOnceOpened = (member: Member, alertId: string, status?: RelayView['status']) =>
    eventually(async () => (await relaysOf(member)).find((relay) => relay.alertId === alertId && (!status || relay.status === status)));

  const relayEvents = async (subject: EventSubject, relayId: string) =>
    (await streamMessages(h.nc, 'RELAYS')).filter((event) => event.subject === subject && event.payload.relayId === relayId);

  const relayEventOnceStored = (subject: EventSubject, relayId: string) =>
    eventually(async () => (await relayEvents(subject, relayId))[0]);

  /** Waits until the durable consumer acknowledged the message stored at `ack.seq`. */
  async function consumed(durable: string, ack: Stored): Promise<void> {
    const jsm = await h.nc.jetstreamManager();
    await eventually(async () => ((await jsm.consumers.info('ALERTS', durable)).ack_floor.stream_seq >= ack.seq! ? true : undefined));
  }

  it('opens a relay per wanting member: auto approved at once with its event, review pending, others none — once, however often the alert arrives', async () => {
    const { coalitionId, members } = await coalitionWith(AUTO, REVIEW, ELSEWHERE);
    const [auto, reviewed, elsewhere] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);

    const approved = await relayOnceOpened(auto, alert.alertId);
    expect(approved).toMatchObject({
      orgId: auto.orgId,
      coalitionId,
      alertVersion: 1,
      title: 'Free the Nairobi Four',
      urgency: 'high',
      status: 'approved',
      decidedBy: 'auto',
      channels: ['email', 'push'],
    });
    const event = await relayEventOnceStored(eventSubjects.relayApproved, approved.id);
    expect(event.msgId).toBe(`relay:${approved.id}:approved`);
    expect(event.payload).toMatchObject({
      eventId: `relay:${approved.id}:approved`,
      relayId: approved.id,
      alertId: alert.alertId,
      coalitionId,
      orgId: auto.orgId,
      decidedBy: 'auto',
      channels: ['email', 'push'],
    });

    const pending = await relayOnceOpened(reviewed, alert.alertId);
    expect(pending).toMatchObject({ status: 'pending', onDeadline: 'drop', channels: ['email'] });
    expect(Date.parse(pending.deadline!)).toBe(Date.parse(alert.publishedAt) + 30 * 60_000);
    expect(await relaysOf(elsewhere)).toEqual([]);

    // The same fact again under another message id, as after a redelivery past JetStream's duplicate window.
    await consumed('subscriptions-relays-published', await h.publishAlert(alert, `redelivered-${alert.alertId}`));
    expect(await relaysOf(auto)).toEqual([approved]);
    expect(await relaysOf(reviewed)).toEqual([pending]);
    expect(await relayEvents(eventSubjects.relayApproved, approved.id)).toHaveLength(1);
  });

  it('lets an editor approve a pending relay with its own intro, which the approval event carries; a second decision conflicts', async () => {
    const { coalitionId, members } = await coalitionWith(REVIEW, REVIEW);
    const [member, otherMember] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    const pending = await relayOnceOpened(member, alert.alertId);
    const input = { intro: 'Our partners in Nairobi need you today.', ctaUrl: 'https://example.org/our-petition' };

    await expect(
      h.rpc.request(relayRpc.approve, { actor: otherMember.editor, orgId: member.orgId, relayId: pending.id, input }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(
      h.rpc.request(relayRpc.approve, { actor: otherMember.editor, orgId: otherMember.orgId, relayId: pending.id, input }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.rpc.request(relayRpc.list, { actor: otherMember.admin, orgId: member.orgId })).rejects.toMatchObject({ statusCode: 403 });
    expect(await relaysOf(member)).toEqual([pending]);

    const approved = await h.rpc.request(relayRpc.approve, { actor: member.editor, orgId: member.orgId, relayId: pending.id, input });
    expect(approved).toMatchObject({ id: pending.id, status: 'approved', decidedBy: 'editor', ...input });
    const event = await relayEventOnceStored(eventSubjects.relayApproved, pending.id);
    expect(event.payload).toMatchObject({ decidedBy: 'editor', channels: ['email'], ...input });

    await expect(
      h.rpc.request(relayRpc.decline, { actor: member.admin, orgId: member.orgId, relayId: pending.id, input: {} }),
    ).rejects.toMatchObject({ statusCode: 409, message: 'relay is approved' });
    expect(await relaysOf(member, 'approved')).toEqual([approved]);
    expect(await relaysOf(member, 'pending')).toEqual([]);
  });

  it('lets an editor decline a pending relay, with a relayDeclined event carrying the reason', async () => {
    const { coalitionId, members } = await coalitionWith(REVIEW);
    const [member] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    const pending = await relayOnceOpened(member, alert.alertId);

    const declined = await h.rpc.request(relayRpc.decline, {
      actor: member.editor,
      orgId: member.orgId,
      relayId: pending.id,
      input: { reason: 'Not our region this week' },
    });
    expect(declined).toMatchObject({ status: 'declined', decidedBy: 'editor' });
    const event = await relayEventOnceStored(eventSubjects.relayDeclined, pending.id);
    expect(event.payload).toMatchObject({ decidedBy: 'editor', reason: 'Not our region this week', orgId: member.orgId });
  });

  it('decides a relay nobody reviewed when its deadline passes, per the membership: approve or drop', async () => {
    const { coalitionId, members } = await coalitionWith(reviewWithin(1, 'approve'), reviewWithin(1, 'drop'));
    const [approving, dropping] = members;
    // Published 59.5 s ago with a 1-minute deadline: the deadline passes half a second from now.
    const alert = alertSnapshot(coalitionId, { publishedAt: new Date(Date.now() - 59_500).toISOString() });
    await h.publishAlert(alert);

    const approved = await relayOnceOpened(approving, alert.alertId, 'approved');
    expect(approved).toMatchObject({ decidedBy: 'deadline' });
    expect(Date.parse(approved.decidedAt!)).toBeGreaterThanOrEqual(Date.parse(approved.deadline!));
    expect((await relayEventOnceStored(eventSubjects.relayApproved, approved.id)).payload).toMatchObject({ decidedBy: 'deadline' });

    const dropped = await relayOnceOpened(dropping, alert.alertId, 'declined');
    expect(dropped).toMatchObject({ decidedBy: 'deadline' });
    expect((await relayEventOnceStored(eventSubjects.relayDeclined, dropped.id)).payload).toMatchObject({ decidedBy: 'deadline' });
  });

  it('cancels the relays of a cancelled alert that were not declined, and says so on the stream', async () => {
    const { coalitionId, coordinator, members } = await coalitionWith(AUTO, REVIEW, REVIEW);
    const [auto, pendingMember, decliningMember] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    await relayOnceOpened(auto, alert.alertId);
    await relayOnceOpened(pendingMember, alert.alertId);
    const toDecline = await relayOnceOpened(decliningMember, alert.alertId);
    await h.rpc.request(relayRpc.decline, { actor: decliningMember.editor, orgId: decliningMember.orgId, relayId: toDecline.id, input: {} });

    const counts = (actor: Principal) => h.rpc.request(relayRpc.counts, { actor, alertId: alert.alertId, coalitionId });
    expect(await counts(coordinator)).toEqual({ alertId: alert.alertId, organisations: 3, pending: 1, approved: 1, declined: 1, cancelled: 0 });

    const msgId = `alert:${alert.alertId}:cancelled`;
    await publisher.publish(
      eventSubjects.alertCancelled,
      { eventId: msgId, occurredAt: new Date().toISOString(), alertId: alert.alertId, coalitionId, reason: 'released' },
      { msgId },
    );

    for (const member of [auto, pendingMember]) {
      const cancelled = await relayOnceOpened(member, alert.alertId, 'cancelled');
      expect(cancelled).toMatchObject({ decidedBy: 'alert_cancelled' });
      const event = await relayEventOnceStored(eventSubjects.relayCancelled, cancelled.id);
      expect(event.payload).toMatchObject({ eventId: `relay:${cancelled.id}:cancelled`, decidedBy: 'alert_cancelled', orgId: member.orgId });
    }
    expect(await relaysOf(decliningMember)).toEqual([expect.objectContaining({ status: 'declined', decidedBy: 'editor' })]);
    expect(await relayEvents(eventSubjects.relayCancelled, toDecline.id)).toEqual([]);
    expect(await counts(h.admin)).toEqual({ alertId: alert.alertId, organisations: 3, pending: 0, approved: 0, declined: 1, cancelled: 2 });
  });

  it('shows relay counts to the coalition’s coordinator and admins only', async () => {
    const { coalitionId, members } = await coalitionWith(AUTO);
    const otherCoordinator = await h.directory.actor({ role: 'coordinator', coalitionId: (await h.directory.coalition()).id });
    const alertId = hex24();
    for (const actor of [otherCoordinator, members[0].admin]) {
      await expect(h.rpc.request(relayRpc.counts, { actor, alertId, coalitionId })).rejects.toMatchObject({ statusCode: 403 });
    }
  });

  it('shows a corrected alert on its relays without opening new ones', async () => {
    const { coalitionId, members } = await coalitionWith(REVIEW, ELSEWHERE);
    const [member, elsewhere] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    await relayOnceOpened(member, alert.alertId);

    const corrected = { ...alert, version: 2, urgency: 'critical' as const, regions: ['KE', 'FR'], texts: { en: { ...alert.texts.en, title: 'Free the Nairobi Five' } } };
    const msgId = `alert:${alert.alertId}:v2:updated`;
    const ack = await publisher.publish(eventSubjects.alertUpdated, { eventId: msgId, occurredAt: new Date().toISOString(), alert: corrected }, { msgId });
    await consumed('subscriptions-relays-updated', ack);

    expect(await relaysOf(member)).toEqual([expect.objectContaining({ alertVersion: 2, title: 'Free the Nairobi Five', urgency: 'critical', status: 'pending' })]);
    expect(await relaysOf(elsewhere)).toEqual([]);
  });

  it('publishes a decision whose event could not be stored at first, once the stream is back', async () => {
    const { coalitionId, members } = await coalitionWith(REVIEW);
    const [member] = members;
    const alert = alertSnapshot(coalitionId);
    await h.publishAlert(alert);
    const pending = await relayOnceOpened(member, alert.alertId);

    const jsm = await h.nc.jetstreamManager();
    await jsm.streams.delete('RELAYS');
    try {
      const approved = await h.rpc.request(relayRpc.approve, { actor: member.editor, orgId: member.orgId, relayId: pending.id, input: {} });
      expect(approved.status).toBe('approved');
    } finally {
      await ensureStreams(jsm);
    }
    const event = await relayEventOnceStored(eventSubjects.relayApproved, pending.id);
    expect(event.payload).toMatchObject({ relayId: pending.id, decidedBy: 'editor' });
  });
});

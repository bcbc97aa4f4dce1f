import { JSONCodec, type Subscription } from 'nats';
import { directoryRpc, eventSubjects, relayRpc, type Principal, type StaffEmail } from '@clarion/contracts';
import { ReviewNotices } from './review-notices';
import { alertSnapshot, eventually, hex24, startHarness, type MembershipRequest, type SubscriptionsHarness } from '../test/subscriptions-harness';

const MINUTE = 60_000;
const codec = JSONCodec<StaffEmail>();
const REVIEW_30: MembershipRequest = { channels: ['email'], filters: { topics: [], regions: [], languages: [] }, relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'approve' } };
const AUTO: MembershipRequest = { channels: ['email'], filters: { topics: [], regions: [], languages: [] }, relayPolicy: { mode: 'auto' } };

/** The organisation's staff hear of a review when it opens and shortly before its deadline; the clock is the test's. */
describe('subscriptions: review waiting emails and reminders', () => {
  let h: SubscriptionsHarness;
  let now = new Date('2026-12-07T10:00:00Z');
  let staffMail: Subscription;
  const mails: StaffEmail[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { REVIEW_REMINDER_BEFORE_MS: String(10 * MINUTE) }, seams: { now: () => now } });
    staffMail = h.nc.subscribe(eventSubjects.staffEmail, { callback: (_error, msg) => mails.push(codec.decode(msg.data)) });
    await h.nc.flush();
  });
  afterAll(async () => {
    staffMail?.unsubscribe();
    await h?.stop();
  });

  async function member(coalitionId: string, settings: MembershipRequest, staff: { email: string; role: 'org_admin' | 'org_editor'; language: 'en' | 'fr' }[]) {
    const org = await h.directory.organisation();
    const admin: Principal = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    await h.directory.join(coalitionId, org.id, admin, settings);
    for (const { email, role, language } of staff) {
      await h.rpc.request(directoryRpc.createAccount, { actor: h.admin, input: { email, name: email.split('@')[0], grant: { role, orgId: org.id }, language } });
    }
    return { org, admin };
  }

  const alertFor = (coalitionId: string) => alertSnapshot(coalitionId, { topics: [], publishedAt: now.toISOString() });

  // One per event id: what the stream keeps. A core subscription also sees a copy JetStream refused as a repeat, which
  // the scheduler's own sweep, overlapping the test's, may publish (the emails' once-only rule, review-notices.ts).
  const reviewMails = (kind: string) => [...new Map(mails.filter((m) => m.message.kind === kind).map((m) => [m.eventId, m])).values()];

  it('emails the reviewing organisation’s admins and editors at once, and reminds them ten minutes before the deadline', async () => {
    const coalition = await h.directory.coalition();
    const tag = hex24().slice(0, 6);
    const reviewer = await member(coalition.id, REVIEW_30, [
      { email: `editor-${tag}@rights.example`, role: 'org_editor', language: 'en' },
      { email: `admin-${tag}@rights.example`, role: 'org_admin', language: 'fr' },
    ]);
    await member(coalition.id, AUTO, [{ email: `auto-${tag}@other.example`, role: 'org_editor', language: 'en' }]);
    const unrelated = await member((await h.directory.coalition()).id, REVIEW_30, [{ email: `elsewhere-${tag}@other.example`, role: 'org_editor', language: 'en' }]);
    expect(unrelated.org.id).toBeDefined();

    const alert = alertFor(coalition.id);
    await h.publishAlert(alert);

    const waiting = await eventually(async () => {
      const found = reviewMails('review-waiting').filter((m) => m.to.endsWith(`${tag}@rights.example`));
      return found.length === 2 ? found : undefined;
    });
    const [relay] = await h.rpc.request(relayRpc.list, { actor: reviewer.admin, orgId: reviewer.org.id });
    for (const mail of waiting) {
      expect(mail.message).toEqual({
        kind: 'review-waiting',
        orgId: reviewer.org.id,
        orgName: reviewer.org.name,
        relayId: relay.id,
        alertTitle: 'Free the Nairobi Four',
        deadline: new Date(now.getTime() + 30 * MINUTE).toISOString(),
        onDeadline: 'approve',
      });
    }
    expect(waiting.map((m) => [m.to, m.language]).sort()).toEqual([
      [`admin-${tag}@rights.example`, 'fr'],
      [`editor-${tag}@rights.example`, 'en'],
    ]);
    // Their invitations, and nothing about this review.
    expect(mails.filter((m) => m.message.kind !== 'invitation' && (m.to.includes(`auto-${tag}`) || m.to.includes(`elsewhere-${tag}`)))).toEqual([]);

    // Nineteen minutes on, no reminder yet; at twenty (ten before the deadline) one each.
    now = new Date(now.getTime() + 19 * MINUTE);
    const sweptOnce = reviewMails('review-waiting').length;
    // The scheduler sweeps every second anyway; sweeping here makes "not yet" a fact rather than a wait.
    await h.app.get(ReviewNotices).sweep();
    await h.nc.flush();
    expect(reviewMails('review-reminder')).toEqual([]);
    expect(reviewMails('review-waiting')).toHaveLength(sweptOnce);
    now = new Date(now.getTime() + MINUTE);
    await h.app.get(ReviewNotices).sweep();
    const reminders = await eventually(async () => (reviewMails('review-reminder').length === 2 ? reviewMails('review-reminder') : undefined));
    expect(reminders.map((m) => m.to).sort()).toEqual([`admin-${tag}@rights.example`, `editor-${tag}@rights.example`]);
    expect(reminders[0].message).toMatchObject({ kind: 'review-reminder', relayId: relay.id });
  });
});

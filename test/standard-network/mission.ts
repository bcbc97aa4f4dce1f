import type { PushMessage, PushService, SmsProvider, SmtpSink, SmtpSinkMessage } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { joinByPhone } from '../support/sms';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { openProgressStream, type ProgressStream } from '../support/progress-stream';
import { standardNetwork } from '../support/standard-network';

/**
 * The mission, end to end: a coordinator publishes; two organisations relay
 * (one at once, one after review with its own intro and link); their
 * supporters — by email, push, both or SMS, in different languages, one
 * unsubscribed, one whose push subscription expired — receive exactly the
 * right messages, once; the SMS supporter's STOP reply ends their texts.
 * Every service is a process; NATS, FerretDB, the SMTP sink, the push
 * service and the SMS provider (Twilio's API, signing its replies) are real.
 */
describe('a crisis call reaches every supporter once, in their language and their organisation’s name', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let sms: SmsProvider;
  let admin: Api;
  let coalition: Coalition;
  let autoOrg: Org;
  let reviewOrg: Org;
  let progress: ProgressStream;

  /** Who should get what; filled while supporters join. */
  const expected = { emails: new Map<string, { org: Org; language: string }>(), pushes: new Map<string, { org: Org; language: string }>() };
  const unsubscribedEmail = 'leaving@example.org';
  const phone = '+33612345678';
  let expiredPushId = '';

  beforeAll(async () => {
    ({ network, smtp, push, sms } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
  });

  afterAll(async () => {
    progress?.close();
  });

  async function joinByEmail(org: Org, email: string, language: string) {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language, topics: [] } }), 201);
    const confirmation = await eventually(`confirmation email to ${email}`, async () => smtp.messages().find((m) => m.to.includes(email)));
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expect(confirmUrl).toBeDefined();
    expectStatus(await http('GET', confirmUrl!), 200);
  }

  async function joinByPush(org: Org, label: string, language: string) {
    const { id, subscription } = push.createSubscription(label);
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { push: subscription, language, topics: [] } }), 201);
    return id;
  }

  it('lets supporters join two organisations by email (double opt-in), push and phone (a texted code)', async () => {
    coalition = await createCoalition(admin);
    [autoOrg, reviewOrg] = await Promise.all([createOrg(admin, 'Auto Rights', ['en', 'fr']), createOrg(admin, 'Review Rights', ['en', 'fr'])]);
    await subscribe(coalition, autoOrg, { channels: ['email', 'push', 'sms'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, reviewOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } });

    for (const [org, email, language] of [
      [autoOrg, 'amina@example.org', 'en'],
      [autoOrg, 'both@example.org', 'fr'],
      [autoOrg, unsubscribedEmail, 'en'],
      [reviewOrg, 'claire@example.org', 'fr'],
      [reviewOrg, 'dev@example.org', 'sw'],
    ] as const) {
      await joinByEmail(org, email, language);
      if (email !== unsubscribedEmail) expected.emails.set(email, { org, language });
    }
    for (const [org, label, language] of [
      [autoOrg, 'push-fr', 'fr'],
      [autoOrg, 'both-push', 'fr'],
      [reviewOrg, 'review-push-en', 'en'],
    ] as const) {
      await joinByPush(org, label, language);
      expected.pushes.set(label, { org, language });
    }
    expiredPushId = await joinByPush(autoOrg, 'expired-push', 'en');
    push.expire(expiredPushId);
    await joinByPhone(network.gatewayUrl, sms, autoOrg.slug, phone, 'fr');

    // Joins are worked on after they are answered.
    const counts = await eventually('every join worked on', async () => {
      const now = expectStatus(await autoOrg.admin.get(`/organisations/${autoOrg.id}/supporters/counts`), 200).body;
      return now.push.active === 3 ? now : undefined;
    });
    expect(counts.email.active).toBe(3);
    expect(counts.push.active).toBe(3);
    expect(counts.sms.active).toBe(1);
  });

  it('honours a one-click unsubscribe (RFC 8058) from an earlier message', async () => {
    const warmUp = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const warmUpProgress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, warmUp.id);
    try {
      expectStatus(await coalition.coordinator.post(`/alerts/${warmUp.id}/publish`), 200);
      const earlier = await eventually('warm-up email to the leaver', async () =>
        smtp.messages().find((m) => m.to.includes(unsubscribedEmail) && m.headers['list-unsubscribe-post']),
      );
      expect(earlier.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      const unsubscribeUrl = /<(https?:\/\/[^>]+)>/.exec(earlier.headers['list-unsubscribe'])![1];
      const res = await fetch(unsubscribeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      // Every delivery of the warm-up (the organisation that relays at once) has ended before the real call is
      // counted: one still on its way would arrive among the real call's.
      await warmUpProgress.until(
        (p) => (['email', 'push', 'sms'] as const).every((name) => p.channels[name].targeted > 0) && Object.values(p.channels).every((c) => c.sent + c.failed + c.suppressed >= c.targeted),
        30_000,
      );
    } finally {
      warmUpProgress.close();
    }
    // Withdrawn silently (no retraction to those it reached), and the other organisation's relay, still awaiting
    // review, goes with it.
    expectStatus(await coalition.coordinator.post(`/alerts/${warmUp.id}/cancel`, { notifySupporters: false }), 200);
    smtp.clear();
    push.clear();
    sms.clear();
  });

  let alertId = '';

  it('delivers the crisis call to exactly the right people, once each, and reports the same totals live', async () => {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    alertId = draft.id;
    progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, alertId);
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`), 200);

    const pending = await eventually('review relay', async () => {
      const relays = expectStatus(await reviewOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`), 200).body;
      return relays.find((r: { alertId: string }) => r.alertId === alertId);
    });
    expectStatus(
      await reviewOrg.editor.post(`/organisations/${reviewOrg.id}/relays/${pending.id}/approve`, {
        intro: 'Review Rights stands with the KHRC.',
        ctaUrl: 'https://review.example.org/act',
      }),
      200,
    );

    await smtp.waitForCount(expected.emails.size, 30_000);
    await push.waitForCount(expected.pushes.size, 30_000);
    await sms.waitForCount(1, 30_000);
    // Anything sent twice, or to the wrong person, would arrive by now too.
    await new Promise((r) => setTimeout(r, 1_500));

    const emails = smtp.messages();
    expect(emails.map((m) => m.to[0]).sort()).toEqual([...expected.emails.keys()].sort());
    for (const message of emails) checkEmail(message, expected.emails.get(message.to[0])!);

    const pushes = push.messages();
    expect(pushes.map((m) => m.label).sort()).toEqual([...expected.pushes.keys()].sort());
    for (const message of pushes) checkPush(message, expected.pushes.get(message.label!)!);

    // One text, in French, in the organisation's name, with its link and the STOP notice.
    const [text] = sms.messages();
    expect(text).toMatchObject({ to: phone, from: sms.number });
    expect(text.body).toMatch(/^Auto Rights: Solidarité avec la KHRC\nhttps?:\/\/\S+\/c\/\S+\n.*STOP/);

    const totals = await progress.until(
      (p) => p.channels.email.sent === expected.emails.size && p.channels.push.sent === expected.pushes.size && p.channels.sms.sent === 1,
      10_000,
    );
    expect(totals.channels.email).toMatchObject({ sent: 4, failed: 0 });
    expect(totals.channels.push.sent).toBe(3);
    expect(totals.channels.sms).toMatchObject({ sent: 1, failed: 0 });
  });

  function checkEmail(message: SmtpSinkMessage, who: { org: Org; language: string }) {
    expect(message.from?.name).toBe(who.org === autoOrg ? 'Auto Rights' : 'Review Rights');
    const french = who.language === 'fr';
    // Swahili has no text in this alert: it falls back to the primary language, English.
    expect(message.subject).toBe(french ? 'Solidarité avec la KHRC' : 'Stand with the Kenya Human Rights Commission');
    expect(message.headers['list-unsubscribe']).toMatch(/^<https?:\/\/.+\/u\/.+>$/);
    expect(message.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(message.html).toMatch(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    if (who.org === reviewOrg) expect(message.text).toContain('Review Rights stands with the KHRC.');
  }

  function checkPush(message: PushMessage, who: { org: Org; language: string }) {
    const payload = message.json as { title: string; url: string };
    expect(payload.title).toBe(who.language === 'fr' ? 'Solidarité avec la KHRC' : 'Stand with the Kenya Human Rights Commission');
    expect(payload.url).toMatch(/\/c\/|\/a\//);
    expect(message.urgency).toBe('high');
  }

  it('removes the expired push subscription', async () => {
    await eventually('expired subscription removed', async () => {
      const counts = expectStatus(await autoOrg.admin.get(`/organisations/${autoOrg.id}/supporters/counts`), 200).body;
      return counts.push.gone === 1 ? counts : undefined;
    });
  });

  it('counts a click on the call to action and sends the person to the organisation’s own link', async () => {
    const reviewEmail = smtp.messages().find((m) => m.to.includes('claire@example.org'))!;
    const clickUrl = /href="(https?:\/\/[^"]+\/c\/[^"]+)"/.exec(reviewEmail.html)![1];
    const res = await fetch(clickUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://review.example.org/act');
    const totals = await progress.until((p) => p.clicked === 1, 5_000);
    expect(totals.clicked).toBe(1);
  });

  it('stops texting a number that replied STOP through its provider (a signed webhook), and still reaches everyone else', async () => {
    const answer = await sms.reply(phone, 'Stop');
    expect(answer.status).toBe(200);
    await eventually('the number unsubscribed', async () => {
      const counts = expectStatus(await autoOrg.admin.get(`/organisations/${autoOrg.id}/supporters/counts`), 200).body;
      return counts.sms.unsubscribed === 1 ? counts : undefined;
    });
    smtp.clear();
    sms.clear();

    const next = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const nextProgress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, next.id);
    try {
      expectStatus(await coalition.coordinator.post(`/alerts/${next.id}/publish`), 200);
      // The auto organisation's emails went out with the same fan-out that would have texted the number.
      await nextProgress.until((p) => p.channels.email.sent >= 2, 30_000);
      // A text, had the number been picked, would arrive by now too.
      await new Promise((r) => setTimeout(r, 1_500));
      const totals = await nextProgress.until((p) => p.channels.email.sent >= 2, 1_000);
      expect(totals.channels.sms).toMatchObject({ targeted: 0, sent: 0, failed: 0 });
      expect(sms.messages(phone)).toEqual([]);
    } finally {
      nextProgress.close();
    }
  });
});

import type { StaffEmail } from '@clarion/contracts';
import { renderStaffEmail } from './staff-email';

const base = 'https://alerts.example.org/';
const now = new Date('2026-12-07T10:00:00Z');
const email = (message: StaffEmail['message'], language: StaffEmail['language'] = 'en'): StaffEmail => ({
  eventId: 'staff:test:1',
  occurredAt: now.toISOString(),
  accountId: 'a'.repeat(24),
  to: 'ed@rights.example',
  name: 'Ed <b>',
  language,
  message,
});
const review = {
  orgId: 'b'.repeat(24),
  orgName: 'Rights & Co',
  relayId: 'c'.repeat(24),
  alertTitle: 'Free <the> Four',
  deadline: new Date(now.getTime() + 25 * 60_000).toISOString(),
  onDeadline: 'approve' as const,
};

describe('staff emails', () => {
  it('puts the sign-in secret in the link’s fragment only', () => {
    const token = `clr_${'x'.repeat(43)}`;
    const rendered = renderStaffEmail(email({ kind: 'sign-in', token }), base, now);
    expect(rendered.link).toBe(`https://alerts.example.org/console/sign-in#token=${token}`);
    expect(rendered.subject).toBe('Your sign-in link for Clarion');
    expect(rendered.text).toContain(`Sign in: ${rendered.link}`);
    expect(rendered.text).toContain('The link works once, for 15 minutes.');
    expect(rendered.html).toContain(`href="${rendered.link}"`);
    // The recipient's name is text, never markup.
    expect(rendered.html).toContain('Hello Ed &lt;b&gt;,');
  });

  it('links a review straight to the relay and says when it decides itself, in French too', () => {
    const en = renderStaffEmail(email({ kind: 'review-waiting', ...review }), base, now);
    expect(en.link).toBe(`https://alerts.example.org/console/orgs/${review.orgId}/relays/${review.relayId}`);
    expect(en.subject).toBe('An alert waits for your review: Free <the> Four');
    expect(en.text).toContain('it is relayed to your supporters by itself in 25 minutes.');
    expect(en.html).toContain('Free &lt;the&gt; Four');
    const fr = renderStaffEmail(email({ kind: 'review-reminder', ...review, onDeadline: 'drop' }, 'fr'), base, now);
    expect(fr.subject).toBe('Rappel : une alerte attend toujours votre relecture : Free <the> Four');
    expect(fr.text).toContain('sera abandonnée d’elle-même dans 25 minutes.');
  });

  it('links an approval request to the alert in its coalition', () => {
    const rendered = renderStaffEmail(
      email({ kind: 'approval-waiting', coalitionId: 'd'.repeat(24), coalitionName: 'Coalition', alertId: 'e'.repeat(24), alertTitle: 'Draft', requestedBy: 'Amina' }),
      base,
      now,
    );
    expect(rendered.link).toBe(`https://alerts.example.org/console/coalitions/${'d'.repeat(24)}/alerts/${'e'.repeat(24)}`);
    expect(rendered.text).toContain('Amina asks a second coordinator of Coalition to approve the alert “Draft”');
  });
});
